import { describe, expect, it } from "vitest";
import { ExampleRandom } from "../example-random.js";
import { createMatcher } from "../matcher.js";
import type { PatternDefinition, PositiveExample } from "../pattern.js";
import { builtinPatterns, compareCatalogOrder } from "./index.js";

const { matcher, problems } = createMatcher(builtinPatterns);
const text = (example: PositiveExample, seed: number): string =>
  typeof example === "string" ? example : example(new ExampleRandom(seed));

describe("the built-in catalog", () => {
  it("compiles without problems", () => {
    expect(problems).toEqual([]);
  });

  it("has unique ids in catalog order", () => {
    const ids = builtinPatterns.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const sorted = [...builtinPatterns].sort(compareCatalogOrder);
    expect(ids).toEqual(sorted.map((p) => p.id));
  });

  it("never makes a low-confidence pattern push-eligible: a generic shape recognised by a nearby name is no proof to block on", () => {
    expect(builtinPatterns.filter((p) => p.confidence === "low" && p.pushProtection).map((p) => p.id)).toEqual([]);
  });

  it("gives every reportable pattern a positive example and every pattern a negative one with a reason", () => {
    for (const pattern of builtinPatterns) {
      if (pattern.standalone !== false) expect(pattern.examples.positive.length, pattern.id).toBeGreaterThan(0);
      expect(pattern.examples.negative.length, pattern.id).toBeGreaterThan(0);
      for (const negative of pattern.examples.negative) expect(negative.reason.length, pattern.id).toBeGreaterThan(3);
    }
  });

  describe.each(builtinPatterns.map((p): [string, PatternDefinition] => [p.id, p]))("%s", (id, pattern) => {
    // Several seeds, so a pattern that accepts only lucky random values fails.
    const seeds = [1, 2, 3, 4, 5];
    it.each(pattern.examples.positive.map((example, i) => [i, example] as const))("finds positive example %i", (_i, example) => {
      for (const seed of seeds) {
        const content = text(example, seed);
        const findings = matcher.scan(Buffer.from(content));
        const own = findings.filter((f) => f.secretType === id);
        expect(own.length, `seed ${seed}: ${JSON.stringify(findings.map((f) => f.secretType))}`).toBeGreaterThan(0);
        // No other pattern claims the same bytes unless it is the pair's other half.
        for (const finding of findings) {
          if (finding.secretType === id) continue;
          const overlaps = own.some((o) => o.startOffset < finding.endOffset && finding.startOffset < o.endOffset);
          expect(overlaps, `${finding.secretType} overlaps ${id}`).toBe(false);
        }
      }
    });
    it.each(pattern.examples.negative.map((example) => [example.reason, example] as const))("ignores: %s", (_reason, example) => {
      for (const seed of seeds) {
        const content = text(example.text, seed);
        const findings = matcher.scan(Buffer.from(content)).filter((f) => f.secretType === id);
        expect(findings.map((f) => f.secret.reveal()), `seed ${seed}`).toEqual([]);
      }
    });
  });
});
