import RE2 from "re2";
import { describe, expect, it } from "vitest";
import { ExampleRandom } from "./example-random.js";
import { DEFAULT_AFTER, DEFAULT_BEFORE } from "./pattern.js";
import { builtinPatterns } from "./patterns/index.js";
import { secretClassTable, secretSpan } from "./secret-span.js";

describe("secretClassTable", () => {
  it("accepts a class repeated between a context ending outside it and an after made of bytes outside it", () => {
    const table = secretClassTable({ regex: "[a-z0-9]{8,}", before: "key=[\"']", after: "[\"']" });
    expect(table).toBeDefined();
    expect(table![0x61]).toBe(1);
    expect(table![0x22]).toBe(0);
    expect(table![0xc3]).toBe(0);
    // A negated class takes every non-ASCII byte.
    expect(secretClassTable({ regex: "[^\"'\\s]{8,}", before: "=\"", after: "\"" })![0xc3]).toBe(1);
  });

  it("refuses what it cannot be sure of", () => {
    const ok = { regex: "[a-z0-9]{8,}", before: "key=\"", after: "\"" };
    expect(secretClassTable(ok)).toBeDefined();
    expect(secretClassTable({ ...ok, before: undefined })).toBeUndefined(); // default context
    expect(secretClassTable({ ...ok, after: undefined })).toBeUndefined();
    expect(secretClassTable({ ...ok, regex: "[a-z0-9]{0,8}" })).toBeUndefined(); // may be empty
    expect(secretClassTable({ ...ok, regex: "x[a-z0-9]{8}" })).toBeUndefined(); // not one class
    expect(secretClassTable({ ...ok, before: "key=\"?" })).toBeUndefined(); // optional last element
    expect(secretClassTable({ ...ok, before: "key=a" })).toBeUndefined(); // ends inside the class
    expect(secretClassTable({ ...ok, before: "a|b\"" })).toBeUndefined(); // alternatives
    expect(secretClassTable({ ...ok, after: "\"|$" })).toBeUndefined();
    expect(secretClassTable({ ...ok, after: "0" })).toBeUndefined(); // inside the class
    expect(secretClassTable({ ...ok, after: "[^a-z]" })).toBeUndefined(); // negated: non-ASCII too
    expect(secretClassTable({ ...ok, regex: "[a-z]{8,}", ignoreCase: true })).toBeUndefined(); // s, k fold outside ASCII
  });
});

describe("secretSpan", () => {
  it("gives the capture group's span for every match of the patterns it applies to", () => {
    const r = new ExampleRandom(11);
    const patterns = builtinPatterns.filter((p) => secretClassTable(p));
    expect(patterns.map((p) => p.id)).toContain("generic_secret");
    let compared = 0;
    for (const p of patterns) {
      const table = secretClassTable(p)!;
      const source = (group: string): string =>
        `(?:${p.before ?? DEFAULT_BEFORE})(${group}${p.regex})(?:${p.after ?? DEFAULT_AFTER})`;
      const flags = p.ignoreCase ? "i" : "";
      const full = new RE2(source("?<s>"), `${flags}gd`);
      const locate = new RE2(source("?:"), `${flags}g`);
      const texts: string[] = [];
      for (const example of p.examples.positive) texts.push(typeof example === "function" ? example(r) : example);
      for (const negative of p.examples.negative)
        texts.push(typeof negative.text === "function" ? negative.text(r) : negative.text);
      // Joined, with escaped quotes, doubled quotes, non-ASCII and spaces around them.
      const noise = ["", " ", "\\", "\"", "'", "`", "é", "\\\"", "\"\"", ":", "=", "\n"];
      for (let i = 0; i < 400; i++) {
        const a = texts[(r.next() % texts.length)]!;
        const b = texts[(r.next() % texts.length)]!;
        texts.push(a + noise[(r.next() % noise.length)]! + b + noise[(r.next() % noise.length)]!);
      }
      for (const text of texts) {
        const bytes = Buffer.from(text);
        full.lastIndex = 0;
        locate.lastIndex = 0;
        for (;;) {
          const expected = full.exec(bytes);
          const got = locate.exec(bytes);
          expect(got?.index).toBe(expected?.index);
          if (!expected || !got) break;
          const span = secretSpan(bytes, got.index, got.index + got[0].length, table);
          expect(span, `${p.id}: ${text}`).toEqual(expected.indices!.groups!["s"]);
          compared++;
          full.lastIndex = locate.lastIndex = expected.index + 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  });
});
