import { describe, expect, it } from "vitest";
import { isDeletion, parseRefUpdates, pushRevisions } from "./ref-updates.js";

const a = "a".repeat(40);
const b = "b".repeat(40);
const zero = "0".repeat(40);

describe("parseRefUpdates", () => {
  it("parses updates, creations and deletions", () => {
    const updates = parseRefUpdates(`${a} ${b} refs/heads/main\n${zero} ${a} refs/heads/new\n${b} ${zero} refs/heads/old\n`);
    expect(updates.map((u) => u.ref)).toEqual(["refs/heads/main", "refs/heads/new", "refs/heads/old"]);
    expect(updates.map(isDeletion)).toEqual([false, false, true]);
  });

  it("names the malformed line", () => {
    expect(() => parseRefUpdates(`${a} ${b} refs/heads/main\nnot a line\n`)).toThrow(/line 2/);
  });
});

describe("pushRevisions", () => {
  it("scans each new tip once, minus what the repository has; deletions scan nothing", () => {
    expect(pushRevisions(parseRefUpdates(`${zero} ${a} refs/heads/x\n${b} ${a} refs/heads/y\n`))).toEqual([a, "--not", "--all"]);
    expect(pushRevisions(parseRefUpdates(`${a} ${zero} refs/heads/x\n`))).toEqual([]);
  });
});
