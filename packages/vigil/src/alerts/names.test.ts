import { describe, expect, it } from "vitest";
import { isValidLogin, isValidRepositoryName, printableName } from "./names.js";

describe("names", () => {
  it("accepts GitHub logins", () => {
    for (const login of ["a", "acme", "Acme-Corp", "a1-b2-c3", "x".repeat(39)])
      expect(isValidLogin(login), login).toBe(true);
  });

  it("refuses every login that could be a path, an option or carry a control character", () => {
    const refused = [
      "",
      "-acme",
      "acme-",
      "ac--me",
      "x".repeat(40),
      "..",
      ".",
      "a/b",
      "..%2F..",
      "../escaped",
      "a\\b",
      "a.b",
      "a_b",
      "a b",
      "ac\u0000me",
      "acme\n",
      "\tacme",
      "ac\u007fme",
      "acmé",
      "ａｃｍｅ",
      "-upload-pack=x",
    ];
    for (let code = 0; code < 0x20; code++) refused.push(`ac${String.fromCharCode(code)}me`);
    for (const login of refused) expect(isValidLogin(login), JSON.stringify(login)).toBe(false);
  });

  it("accepts repository names and refuses dots, separators and control characters", () => {
    for (const name of ["app", "app.js", ".github", "a_b-c.d", "...", "x".repeat(100)])
      expect(isValidRepositoryName(name), name).toBe(true);
    for (const name of ["", ".", "..", "a/b", "a\\b", "x".repeat(101), "a b", "a\u0000", "a\n", "é"])
      expect(isValidRepositoryName(name), JSON.stringify(name)).toBe(false);
  });

  it("prints a refused name with its control characters escaped", () => {
    expect(printableName("ac\u0000me\n")).toBe("ac\\u0000me\\n");
  });
});
