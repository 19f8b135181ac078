import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER, DEFAULT_BEFORE } from "./pattern.js";
import { builtinPatterns } from "./patterns/index.js";
import { compileRegex, MAX_REGEX_ALTERNATIVES, MAX_REGEX_PROGRAM } from "./regex.js";
import { estimateRegexCost } from "./regex-cost.js";

describe("estimateRegexCost and the limits compileRegex applies", () => {
  it("grows with literals, alternatives and repetition counts", () => {
    expect(estimateRegexCost("abc").size).toBeLessThan(estimateRegexCost("abcdef").size);
    expect(estimateRegexCost("a|b|c").alternatives).toBe(2);
    expect(estimateRegexCost("(?:x|(?:y|z))").alternatives).toBe(2);
    expect(estimateRegexCost("[a-z]{1000}").size).toBeGreaterThan(estimateRegexCost("[a-z]{10}").size * 50);
    // Nested repetitions multiply.
    expect(estimateRegexCost("(?:[a-z]{100}){100}").size).toBeGreaterThan(MAX_REGEX_PROGRAM);
    // Escapes, classes and flags are not mistaken for structure.
    expect(estimateRegexCost("\\|\\(\\[[|(]").alternatives).toBe(0);
    expect(estimateRegexCost("(?i)abc").size).toBe(estimateRegexCost("abc").size);
  });

  it("every built-in pattern compiles under the limits", () => {
    for (const pattern of builtinPatterns) {
      const source = `(?:${pattern.before ?? DEFAULT_BEFORE})(?<vigil_secret>${pattern.regex})(?:${pattern.after ?? DEFAULT_AFTER})`;
      const result = compileRegex(source, "gd");
      expect(result.ok, `${pattern.id}: ${result.ok ? "" : result.reason}`).toBe(true);
    }
  });

  it("refuses 2,000 alternatives and a program past the limit, saying why", () => {
    const alternatives = Array.from({ length: 2000 }, (_, i) => `k${i}[a-z]{4}`).join("|");
    const refused = compileRegex(alternatives);
    expect(refused).toEqual({
      ok: false,
      reason: expect.stringContaining(`1,999 alternatives (at most ${MAX_REGEX_ALTERNATIVES.toLocaleString("en-US")})`),
    });
    const wide = compileRegex("(?:[a-z]{100}[0-9]{100}){40}");
    expect(wide).toEqual({
      ok: false,
      reason: expect.stringMatching(/about [\d,]+ RE2 instructions \(at most 20,000\)/),
    });
    expect(compileRegex(Array.from({ length: 500 }, (_, i) => `k${i}`).join("|")).ok).toBe(true);
  });
});
