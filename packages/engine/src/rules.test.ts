import { describe, expect, it } from "vitest";
import { checkDocument, loadRuleDocuments } from "../../../scripts/compile-rules.mjs";
import { ExampleRandom } from "./example-random.js";
import { createMatcher } from "./matcher.js";
import { builtinPatterns } from "./patterns/index.js";
import { patternFromRule, type RuleData } from "./rule-data.js";
import { namedValidators } from "./validators.js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The rule documents (packages/engine/rules/*.yaml) as the build reads them. The generic catalog test
// (patterns/catalog.test.ts) runs every example of every rule; this one lints the documents themselves.
const { documents, problems } = loadRuleDocuments();
const rules = documents.flatMap((d) => d.rules as unknown as RuleData[]);

describe("the rule documents", () => {
  it("validate against the schema, with unique ids", () => {
    expect(problems).toEqual([]);
    expect(rules.length).toBeGreaterThan(0);
  });

  it("are all in the built-in catalog", () => {
    const ids = new Set(builtinPatterns.map((p) => p.id));
    expect(rules.filter((r) => !ids.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  it.each(rules.map((r) => [r.id, r] as const))(
    "%s compiles under RE2 and has its keyword in every positive",
    (_id, rule) => {
      const pattern = patternFromRule(rule);
      // A pair's first half is compiled with its second, which it names.
      const partner = rules.filter((r) => r.id === rule.pair?.with).map(patternFromRule);
      expect(createMatcher([pattern, ...partner]).problems).toEqual([]);
      // A pair's second half has no keyword: it is looked for only beside its first half.
      if (pattern.keywords.length === 0) expect(pattern.standalone).toBe(false);
      else
        for (const [i, example] of pattern.examples.positive.entries()) {
          const text = (typeof example === "string" ? example : example(new ExampleRandom(11))).toLowerCase();
          expect(
            pattern.keywords.some((k) => text.includes(k.toLowerCase())),
            `positive ${i} holds none of ${pattern.keywords.join(", ")}`,
          ).toBe(true);
        }
    },
  );
});

describe("named validators", () => {
  it("are the ones the schema lets a document name", () => {
    const schema = JSON.parse(readFileSync(new URL("../rules/schema.json", import.meta.url), "utf8")) as {
      definitions: { rule: { properties: { validate: { enum: string[] } } } };
    };
    expect([...schema.definitions.rule.properties.validate.enum].sort()).toEqual(Object.keys(namedValidators).sort());
  });
});

describe("checkDocument", () => {
  const rule = {
    id: "acme_api_key",
    name: "Acme API Key",
    names: ["acme"],
    value: "[a-f0-9]{32}",
    keywords: ["acme"],
    examples: { positive: ["ACME_KEY={{hex 32}}"], negative: [{ text: "ACME_KEY=1", reason: "too short" }] },
  };

  it("accepts a valid document", () => {
    expect(checkDocument({ provider: "Acme", rules: [rule] })).toEqual([]);
  });

  it("names the path and field of what is wrong", () => {
    expect(checkDocument({ provider: "Acme", rules: [{ ...rule, keywords: ["ac"] }] })).toEqual([
      "rules[0].keywords[0]: must NOT have fewer than 3 characters",
    ]);
    expect(checkDocument({ provider: "Acme", rules: [{ ...rule, colour: "red" }] })).toEqual([
      "rules[0]: must NOT have additional properties (colour)",
    ]);
    expect(
      checkDocument({
        provider: "Acme",
        rules: [{ ...rule, examples: { ...rule.examples, negative: [{ text: "x" }] } }],
      }),
    ).toEqual(["rules[0].examples.negative[0]: must have required property 'reason'"]);
    expect(checkDocument({ rules: [rule] })).toEqual(["(document): must have required property 'provider'"]);
    expect(checkDocument({ provider: "Acme", rules: [{ ...rule, validate: "luhn" }] })).toEqual([
      "rules[0].validate: must be equal to one of the allowed values",
    ]);
    expect(checkDocument({ provider: "Acme", rules: [{ ...rule, id: "Acme Key" }] })).toEqual([
      'rules[0].id: must match pattern "^[a-z0-9][a-z0-9_]*$"',
    ]);
  });

  it("says when a rule has neither or both shapes", () => {
    const { names: _n, value: _v, ...neither } = rule;
    expect(checkDocument({ provider: "Acme", rules: [neither] })).toEqual([
      "rules[0]: needs regex, or value with names (the named-value shape)",
    ]);
    expect(checkDocument({ provider: "Acme", rules: [{ ...rule, regex: "acme_[a-z]{8}" }] })).toEqual([
      "rules[0]: give either regex (with before/after) or value with names, not both",
    ]);
  });
});

describe("loadRuleDocuments", () => {
  it("names the file of each problem: not YAML, not the schema, an id used twice", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-rules-"));
    try {
      const rule = (id: string): string =>
        [
          `  - id: ${id}`,
          "    name: Acme API Key",
          '    names: ["acme"]',
          '    value: "[a-f0-9]{32}"',
          '    keywords: ["acme"]',
          "    examples:",
          '      positive: ["ACME_KEY={{hex 32}}"]',
          '      negative: [{ text: "ACME_KEY=1", reason: "too short" }]',
        ].join("\n");
      writeFileSync(join(dir, "acme.yaml"), `provider: Acme\nrules:\n${rule("acme_api_key")}\n`);
      writeFileSync(join(dir, "acme-copy.yaml"), `provider: Acme\nrules:\n${rule("acme_api_key")}\n`);
      writeFileSync(join(dir, "broken.yaml"), "provider: [unclosed\n");
      writeFileSync(join(dir, "no-rules.yaml"), "provider: Nobody\n");
      const { documents, problems } = loadRuleDocuments(dir);
      expect(documents.map((d) => d.provider)).toEqual(["Acme", "Acme"]);
      expect(problems).toHaveLength(3);
      expect(problems[0]).toMatch(/acme\.yaml: rules\[0\]\.id: "acme_api_key" is already used in .*acme-copy\.yaml$/);
      expect(problems[1]).toMatch(/broken\.yaml: not YAML: /);
      expect(problems[2]).toMatch(/no-rules\.yaml: \(document\): must have required property 'rules'$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
