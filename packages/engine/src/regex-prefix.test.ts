import RE2 from "re2";
import { describe, expect, it } from "vitest";
import { ExampleRandom } from "./example-random.js";
import { builtinPatterns } from "./patterns/index.js";
import { fixedPrefix, hasTopLevelAlternative, openRepetitions, requiredByte, startsWithPrefix } from "./regex-prefix.js";

const members = (set: Uint8Array): string =>
  [...set.keys()]
    .filter((b) => set[b])
    .map((b) => String.fromCharCode(b))
    .join("");

describe("fixedPrefix", () => {
  it("pins literals, classes and fixed repetitions to byte positions, up to the first variable part", () => {
    const prefix = fixedPrefix("pat[A-Za-z0-9]{2}\\.[a-f0-9]{3,}x");
    expect(prefix.map(members)).toEqual([
      "p",
      "a",
      "t",
      ...Array(2).fill(members(fixedPrefix("[0-9A-Za-z]")[0]!)),
      ".",
      "0123456789abcdef",
      "0123456789abcdef",
      "0123456789abcdef",
    ]);
  });

  it("stops where a position is not one byte of a known set", () => {
    expect(fixedPrefix("ab(?:c|d)e").length).toBe(2);
    expect(fixedPrefix("ab?c").length).toBe(1);
    expect(fixedPrefix("a[^x]b").length).toBe(1);
    expect(fixedPrefix("a.b").length).toBe(1);
    expect(fixedPrefix("aé").length).toBe(1);
    expect(fixedPrefix("a+b").length).toBe(1);
    expect(fixedPrefix("\\bab").length).toBe(0);
  });

  it("folds case for ignore-case regexes, and stops at s and k there (RE2 folds them to non-ASCII letters)", () => {
    expect(fixedPrefix("(?i)ab").map(members)).toEqual(["Aa", "Bb"]);
    expect(fixedPrefix("ab", true).map(members)).toEqual(["Aa", "Bb"]);
    expect(fixedPrefix("(?i)ask").length).toBe(1);
  });

  it("never turns away a match of a built-in pattern's regex", () => {
    // For every catalog regex: random strings that RE2 matches from their first byte pass the check.
    const r = new ExampleRandom(41);
    let checked = 0;
    for (const pattern of builtinPatterns) {
      const prefix = fixedPrefix(pattern.regex, pattern.ignoreCase);
      if (prefix.length === 0) continue;
      const regex = new RE2(`^(?:${pattern.regex})`, pattern.ignoreCase ? "i" : "");
      for (const example of pattern.examples.positive) {
        const text = typeof example === "string" ? example : example(r);
        for (let at = 0; at < text.length; at++) {
          const rest = Buffer.from(text.slice(at));
          if (!regex.test(rest)) continue;
          checked++;
          expect(startsWithPrefix(rest, 0, prefix), `${pattern.id} at ${at}`).toBe(true);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe("requiredByte", () => {
  it("picks the rarest punctuation every match contains, outside groups, classes and optional parts", () => {
    expect(requiredByte("(?:https|http)://[a-z]+:[^@]{3,}@[a-z]+")).toBe("@".charCodeAt(0));
    expect(requiredByte("ab_[a-z]{3,5}\\.x")).toBe("_".charCodeAt(0));
    expect(requiredByte("a(?:@)b")).toBe(-1);
    expect(requiredByte("a@?b")).toBe(-1);
    expect(requiredByte("a[@]b{2,3}")).toBe(-1);
    expect(requiredByte("a@b|c")).toBe(-1);
    expect(requiredByte("a.b$")).toBe(-1);
  });

  it("is in every match of a built-in pattern's regex", () => {
    const r = new ExampleRandom(43);
    let checked = 0;
    for (const pattern of builtinPatterns) {
      const byte = requiredByte(pattern.regex);
      if (byte < 0) continue;
      const regex = new RE2(pattern.regex, pattern.ignoreCase ? "gi" : "g");
      for (const example of pattern.examples.positive) {
        const text = typeof example === "string" ? example : example(r);
        for (const match of text.matchAll(regex)) {
          checked++;
          expect(Buffer.from(match[0]).includes(byte), pattern.id).toBe(true);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe("hasTopLevelAlternative", () => {
  it.each([
    ["abc|def", true],
    ["(?:abc|def)ghi", false],
    ["abc[|]def", false],
    ["abc\\|def", false],
    ["[]|]x", false],
    ["[^]|]x|y", true],
    ["EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}", true],
  ])("%s: %s", (regex, expected) => {
    expect(hasTopLevelAlternative(regex)).toBe(expected);
  });
});

describe("openRepetitions", () => {
  it("opens bounded ranges and keeps fixed counts, open ranges, escapes and classes", () => {
    expect(openRepetitions("a{0,40}b{1,24}c{3}d{2,}e{5,5}")).toBe("a{0,}b{1,}c{3}d{2,}e{5,5}");
    expect(openRepetitions("\\{1,2}[{1,2}]\\Q{1,2}\\E\\x{41}\\p{L}[\\x{30}-\\x{39}]{1,3}")).toBe(
      "\\{1,2}[{1,2}]\\Q{1,2}\\E\\x{41}\\p{L}[\\x{30}-\\x{39}]{1,}",
    );
    expect(openRepetitions("[]{1,2}]{1,2}[^]x]{0,9}[[:alpha:]{]{2,4}")).toBe("[]{1,2}]{1,}[^]x]{0,}[[:alpha:]{]{2,}");
  });

  it("matches wherever the regex matches, for every built-in pattern's examples", () => {
    const r = new ExampleRandom(7);
    let checked = 0;
    for (const p of builtinPatterns) {
      const source = `(?:${p.before ?? "\\A|[^0-9A-Za-z]"})(?:${p.regex})(?:${p.after ?? "\\z|[^0-9A-Za-z]"})`;
      const flags = p.ignoreCase ? "i" : "";
      const exact = new RE2(source, flags);
      const opened = new RE2(openRepetitions(source), flags);
      for (const example of p.examples?.positive ?? []) {
        const text = typeof example === "function" ? example(r) : example;
        if (!exact.test(text)) continue;
        expect(opened.test(text), `${p.id}: ${text}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("turns away what the bounded regex cannot match only when the opened one cannot either", () => {
    const exact = new RE2("(?:\\A|[^a-z])[a-z]{0,4}_key = '");
    const opened = new RE2(openRepetitions("(?:\\A|[^a-z])[a-z]{0,4}_key = '"));
    expect(exact.test(" abcdefgh_key = '")).toBe(false);
    expect(opened.test(" abcdefgh_key = '")).toBe(true);
    expect(opened.test(" abcdefgh_key = \"")).toBe(false);
  });
});
