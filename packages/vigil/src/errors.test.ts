import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "./errors.js";

describe("error codes", () => {
  it("every code users can meet is explained in docs/errors.md", () => {
    const docs = readFileSync(new URL("../../../docs/errors.md", import.meta.url), "utf8");
    const missing = Object.keys(ERROR_CODES).filter((code) => !docs.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
