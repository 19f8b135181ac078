import RE2 from "re2";
import { describe, expect, it } from "vitest";
import { ExampleRandom } from "./example-random.js";
import { builtinPatterns } from "./patterns/index.js";
import {
  fitsOne,
  fitsShape,
  followsShape,
  hasTopLevelAlternative,
  keywordShapes,
  openRepetitions,
  requiredByte,
} from "./regex-prefix.js";

const members = (set: Uint8Array): string =>
  [...set.keys()]
    .filter((b) => set[b])
    .map((b) => String.fromCharCode(b))
    .join("");

const shapeOf = (regex: string, keyword: string, ignoreCase = false): string[][] | undefined =>
  keywordShapes(regex, keyword, ignoreCase)?.map((shape) =>
    shape.map((step) => `${members(step.set)}{${step.min},${step.max}}`),
  );
const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const fits = (text: string, shapes: ReturnType<typeof keywordShapes>): boolean =>
  shapes === undefined || fitsShape(Buffer.from(text), 0, shapes);

describe("keywordShapes", () => {
  it("follows literals, classes and counts after the keyword, and runs whose next byte is outside them", () => {
    expect(shapeOf("pat[A-Za-z0-9]{2}\\.[a-f0-9]{3,}x", "pat")).toEqual([
      [`${ALNUM}{2,2}`, ".{1,1}", "0123456789abcdef{3,Infinity}", "x{1,1}"],
    ]);
    const authress = "(?:sc|ext)_[a-z0-9]{5,30}\\.acc";
    expect(fits("_abcde.acc", keywordShapes(authress, "ext"))).toBe(true);
    expect(fits("_abcd.acc", keywordShapes(authress, "ext"))).toBe(false); // too short a run
    expect(fits("_abcdefghijklmnopqrstuvwxyz0123456.acc", keywordShapes(authress, "ext"))).toBe(false); // 35 > 30
    expect(fits("_modules.js", keywordShapes(authress, "ext"))).toBe(false);
  });

  it("stops at a run whose end the next part does not fix, and at anything it cannot pin to byte sets", () => {
    expect(shapeOf("ab[a-z]{2,4}[a-c]x", "ab")).toEqual([["abcdefghijklmnopqrstuvwxyz{2,2}"]]);
    expect(shapeOf("ab(?:c|d)e", "ab")).toEqual([[]]);
    expect(shapeOf("ab?c", "a")).toEqual([["b{0,1}", "c{1,1}"]]);
    expect(shapeOf("ab?[a-c]", "a")).toEqual([[]]);
    // [^x] may be 1 to 4 bytes and matches b: only its first byte is checked.
    expect(shapeOf("a[^x]b", "a")?.[0]).toHaveLength(1);
    expect(shapeOf("a(b)", "a")).toEqual([[]]);
    expect(shapeOf("\\bab", "ab")).toBeUndefined();
  });

  it("gives one shape per branch of literals the keyword begins, and none when a branch is not a literal", () => {
    const square = "EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}";
    expect(keywordShapes(square, "eaaa")).toHaveLength(1);
    expect(fits("A".repeat(60), keywordShapes(square, "EAAA"))).toBe(true);
    expect(fits("E,AAAA", keywordShapes(square, "EAAA"))).toBe(false);
    const url = "(?:https|http)://[a-z.]+:[^\\s@/]{3,128}@[a-z.]+";
    expect(fits("user:pass@example.com", keywordShapes(url, "https://"))).toBe(true);
    expect(fits("github.com/vigil", keywordShapes(url, "https://"))).toBe(false);
    expect(fits("localhost:8080/path", keywordShapes(url, "http://"))).toBe(false);
    expect(keywordShapes("abc|[0-9]{4}", "abc")).toBeUndefined();
  });

  it("counts a negated class or dot in bytes, up to four a character", () => {
    const shapes = keywordShapes("k:[^@/]{2,3}@", "k:");
    expect(fits("ab@", shapes)).toBe(true);
    expect(fits("\u00e9\u00e9\u00e9@", shapes)).toBe(true); // three two-byte characters: six bytes
    expect(fits("a@", shapes)).toBe(false);
    expect(fits("abcd@", shapes)).toBe(true); // could be two multibyte characters
    expect(fits("abcdefghijklm@", shapes)).toBe(false); // 13 bytes are more than three characters
    expect(fits("ab/x@", shapes)).toBe(false);
  });

  it("folds case for ignore-case regexes; where RE2 folds k or s to a multibyte letter, counts bytes", () => {
    expect(shapeOf("(?i)abcd", "ab")).toEqual([["Cc{1,1}", "Dd{1,1}"]]);
    expect(shapeOf("abcd", "ab", true)).toEqual([["Cc{1,1}", "Dd{1,1}"]]);
    expect(shapeOf("(?i)abks", "ab")).toEqual([[]]); // the literal's k could be the Kelvin sign
    const run = keywordShapes("(?i)ab[a-z]{2,3}:", "ab");
    expect(fits("xy:", run)).toBe(true);
    expect(fits("\u212a\u017f:", run)).toBe(true); // Kelvin sign and long s: 3 + 2 bytes
    expect(fits("x:", run)).toBe(false);
  });

  it("never turns away a match of a built-in pattern's regex", () => {
    // For every catalog regex and keyword: where RE2 matches from a hit of the keyword, the bytes after it fit.
    const r = new ExampleRandom(41);
    let checked = 0;
    for (const pattern of builtinPatterns) {
      const regex = new RE2(`^(?:${pattern.regex})`, pattern.ignoreCase ? "i" : "");
      for (const keyword of pattern.keywords) {
        const shapes = keywordShapes(pattern.regex, keyword, pattern.ignoreCase);
        if (shapes === undefined) continue;
        for (const example of pattern.examples.positive) {
          const text = typeof example === "string" ? example : example(r);
          for (let at = 0; at < text.length; at++) {
            if (!text.slice(at, at + keyword.length).toLowerCase().startsWith(keyword.toLowerCase())) continue;
            const rest = Buffer.from(text.slice(at));
            if (!regex.test(rest)) continue;
            checked++;
            expect(fitsShape(rest, Buffer.byteLength(keyword), shapes), `${pattern.id} at ${at}`).toBe(true);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe("followsShape", () => {
  it("reads optional runs before a required part when none shares a byte with what follows it", () => {
    const shape = followsShape("[0-9]{0,2}[ \\t]{0,40}[:?=>]")!;
    expect(shape).toBeDefined();
    for (const text of ["=", "2 = x", "12\t:", " ?=", ">"]) expect(fitsOne(Buffer.from(text), 0, shape), text).toBe(true);
    for (const text of ["_hash = 1", "123=", "s =", ")", ""]) expect(fitsOne(Buffer.from(text), 0, shape), text).toBe(false);
    expect(fitsOne(Buffer.from("  ==="), 0, followsShape("\\s*[=!]=")!)).toBe(true);
    expect(fitsOne(Buffer.from(" = "), 0, followsShape("\\s*[=!]=")!)).toBe(false);
  });

  it("refuses what greedy reading cannot decide: groups, alternatives, runs whose end the next part does not fix", () => {
    expect(followsShape("(?:=|:)")).toBeUndefined();
    expect(followsShape("=|:")).toBeUndefined();
    expect(followsShape("[a-z]*[a-c]")).toBeUndefined();
    expect(followsShape("[0-9]{0,2}[ \\t]*[0-9]")).toBeUndefined();
    expect(followsShape("[0-9]{0,2}[^a]")).toBeUndefined(); // [^a] takes digits too
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
