import { describe, expect, it } from "vitest";
import { ExampleRandom } from "./example-random.js";
import { builtinPatterns, createMatcher, shannonEntropy, withGithubChecksum } from "./index.js";
import type { ExplainedCandidate } from "./explain.js";
import type { PatternDefinition } from "./pattern.js";
import { patternFromRule } from "./rule-data.js";

const r = new ExampleRandom(4242);
const catalog = createMatcher(builtinPatterns).matcher;

/** A token whose last character is changed: its checksum no longer matches. */
function breakLastChar(token: string): string {
  const last = token.at(-1)!;
  return token.slice(0, -1) + (last === "a" ? "b" : "a");
}

function explain(text: string, matcher = catalog) {
  return matcher.explain(Buffer.from(text));
}

function only(explained: ExplainedCandidate[], secretType: string): ExplainedCandidate {
  const mine = explained.filter((e) => e.secretType === secretType);
  expect(mine).toHaveLength(1);
  return mine[0]!;
}

/** A test pattern: `acme_` and 16 to 60 characters other than space and quotes. */
function acme(extra: Partial<PatternDefinition> = {}): PatternDefinition {
  return {
    id: "acme_token",
    name: "Acme Token",
    provider: "Acme",
    regex: "acme_[^\\s\"']{16,60}",
    keywords: ["acme_"],
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: { positive: [], negative: [] },
    ...extra,
  };
}

describe("Matcher.explain", () => {
  it("tells a GitHub token with a wrong CRC32 tail from a valid one", () => {
    const valid = withGithubChecksum(`ghp_${r.alnum(30)}`);
    const broken = breakLastChar(withGithubChecksum(`ghp_${r.alnum(30)}`));
    const text = `one = "${valid}"\ntwo = "${broken}"\n`;
    const { findings, explained } = explain(text);
    expect(findings.map((f) => [f.secretType, f.secret.reveal()])).toEqual([["github_personal_access_token", valid]]);
    const e = only(explained, "github_personal_access_token");
    expect(e.secret.reveal()).toBe(broken);
    expect(e.reason).toBe("checksum_failed");
    expect(e.detail["check"]).toMatch(/CRC32/);
    expect(e.message).toMatch(/CRC32 checksum .* does not match/);
    expect([e.startLine, e.startColumn, e.startOffset, e.endOffset]).toEqual([
      2,
      8,
      text.indexOf(broken),
      text.indexOf(broken) + broken.length,
    ]);
  });

  it("names npm's checksum", () => {
    const valid = r.githubToken("npm");
    const broken = breakLastChar(r.githubToken("npm"));
    const { findings, explained } = explain(`NPM_TOKEN=${valid}\nNPM_OLD=${broken}\n`);
    expect(findings.map((f) => [f.secretType, f.startLine])).toEqual([["npm_access_token", 1]]);
    const e = only(explained, "npm_access_token");
    expect([e.reason, e.startLine, e.secret.reveal()]).toEqual(["checksum_failed", 2, broken]);
    expect(e.detail["check"]).toMatch(/CRC32/);
  });

  it("finds a rejected token inside base64 and places it on the segment", () => {
    const broken = breakLastChar(r.githubToken("ghs"));
    const encoded = Buffer.from(`{"token":"${broken}"}`).toString("base64");
    const text = `blob: ${encoded}\n`;
    const e = only(explain(text).explained, "github_app_installation_access_token");
    expect(e).toMatchObject({ reason: "checksum_failed", isBase64Encoded: true, startOffset: text.indexOf(encoded) });
    expect(e.secret.reveal()).toBe(broken);
  });

  it("says which placeholder test a value fails", () => {
    const { matcher } = createMatcher([acme()]);
    const cases: Array<[string, string]> = [
      ["acme_AKIAIOSFODNN7EXAMPLEKEY", "known-example"],
      ["acme_${ACME_TOKEN_FROM_ENV}", "template"],
      ["acme_{{secrets.ACME_TOKEN}}", "template"],
      ["acme_xxxxxxxxxxxxxxxxxxxx", "masked"],
      ["acme_replace_me_with_yours", "placeholder-word"],
    ];
    for (const [text, test] of cases) {
      const [e, ...rest] = explain(`token: ${text}\n`, matcher).explained;
      expect(rest).toEqual([]);
      expect([text, e?.reason, e?.detail["test"]]).toEqual([text, "placeholder", test]);
    }
    const bare = createMatcher([acme({ regex: "[0-9A-Za-z]{16,40}", before: "acme_key=", keywords: ["acme_key"] })]);
    const e = only(explain("acme_key=ab1ab1ab1ab1ab1ab1ab1\n", bare.matcher).explained, "acme_token");
    expect([e.reason, e.detail["test"], e.detail["text"]]).toEqual(["placeholder", "repeated-characters", "ab1"]);
  });

  it("reports a typed sequence in a named-value rule as a placeholder (sequential)", () => {
    const rule = patternFromRule({
      id: "acme_api_key",
      name: "Acme API Key",
      provider: "Acme",
      names: ["acme"],
      value: "[a-z0-9]{32}",
      keywords: ["acme"],
      examples: { positive: [], negative: [] },
    });
    const { matcher } = createMatcher([rule]);
    const e = only(
      explain(`ACME_API_KEY = "abcdefgh${r.lower(12)}${r.digits(12)}"\n`, matcher).explained,
      "acme_api_key",
    );
    expect(e.reason).toBe("placeholder");
    expect(e.detail).toEqual({ test: "sequential", text: "abcdefg" });
  });

  it("gives the measured and the required entropy", () => {
    const { matcher } = createMatcher([acme({ minEntropy: 3.5 })]);
    const value = "acme_aabbccddaabbccdd1234";
    const e = only(explain(`x = ${value}\n`, matcher).explained, "acme_token");
    expect(e.reason).toBe("low_entropy");
    expect(e.detail["required"]).toBe(3.5);
    expect(e.detail["entropy"]).toBeCloseTo(shannonEntropy(value), 1);
    expect(e.detail["entropy"]).toBeLessThan(3.5);
    expect(e.message).toContain("below the rule's minimum of 3.5");
  });

  it("names a must-match and a must-not-match regex", () => {
    const { matcher } = createMatcher([acme({ mustMatch: ["[0-9]"], mustNotMatch: ["(?i)dummy"] })]);
    const { explained } = explain(`a = acme_QwErTyUiOpAsDfGhJk\nb = acme_Dummy${r.alnum(16)}1\n`, matcher);
    expect(explained.map((e) => [e.startLine, e.reason, e.detail["regex"]])).toEqual([
      [1, "must_match_failed", "[0-9]"],
      [2, "must_not_match", "(?i)dummy"],
    ]);
  });

  it("names the rule's structural check, or says a structural check when the rule does not name it", () => {
    const named = acme({ validate: () => false, validation: { kind: "structure", check: "the Acme envelope check" } });
    const unnamed = acme({ id: "acme_other", validate: () => false });
    const value = `acme_${r.alnum(24)}`;
    const a = only(explain(value, createMatcher([named]).matcher).explained, "acme_token");
    const b = only(explain(value, createMatcher([unnamed]).matcher).explained, "acme_other");
    expect([a.reason, a.detail["check"]]).toEqual(["validator_rejected", "the Acme envelope check"]);
    expect([b.reason, b.detail["check"]]).toEqual(["validator_rejected", "the rule's structural check"]);
    // A validator that throws rejects the match too; explain says the same.
    const throwing = acme({ validate: () => JSON.parse("{") as boolean });
    expect(explain(value, createMatcher([throwing]).matcher).explained.map((e) => e.reason)).toEqual([
      "validator_rejected",
    ]);
  });

  it("says which side's context is absent", () => {
    const rule = acme({ regex: "[A-Za-z0-9]{24}", before: "acme_key\\s*=\\s*", after: ";", keywords: ["acme"] });
    const { matcher } = createMatcher([rule]);
    const value = () => `${r.alnum(12)}${r.digits(4)}${r.alnum(8)}`;
    const [found, before, after] = [value(), value(), value()];
    const text = `acme_key = ${found};\nacme_id = ${before};\nacme_key = ${after}\n`;
    const { findings, explained } = explain(text, matcher);
    expect(findings.map((f) => f.secret.reveal())).toEqual([found]);
    expect(explained.map((e) => [e.secret.reveal(), e.reason, e.detail["side"]])).toEqual([
      [before, "context_absent", "before"],
      [after, "context_absent", "after"],
    ]);
  });

  it("says in words what context a named-value rule requires", () => {
    const rule = patternFromRule({
      id: "acme_api_key",
      name: "Acme API Key",
      provider: "Acme",
      names: ["acme"],
      value: "[a-f0-9]{40}",
      keywords: ["acme"],
      examples: { positive: [], negative: [] },
    });
    const { matcher } = createMatcher([rule]);
    const value = `${r.hex(20)}1a${r.hex(18)}`;
    expect(explain(`ACME_API_KEY = "${value}"\n`, matcher).findings).toHaveLength(1);
    const e = only(explain(`ACME_CLIENT_ID = "${value}"\n`, matcher).explained, "acme_api_key");
    expect([e.reason, e.detail["side"], e.secret.reveal()]).toEqual(["context_absent", "before", value]);
    expect(e.message).toContain('assigned to a name holding "acme" and a word such as key, token, secret or password');
  });

  it("says when a pair's other half is missing", () => {
    const keyId = acme({ id: "acme_key_id", regex: "ACMEID[0-9A-Z]{16}", keywords: ["ACMEID"] });
    const secret = acme({
      id: "acme_secret",
      name: "Acme Secret",
      regex: "acmesecret_[A-Za-z0-9]{24}",
      keywords: ["acmesecret_"],
      pair: { with: "acme_key_id", required: true },
    });
    const { matcher } = createMatcher([keyId, secret]);
    const lone = `acmesecret_${r.alnum(24)}`;
    const e = only(explain(`s = ${lone}\n`, matcher).explained, "acme_secret");
    expect([e.reason, e.detail["pairWith"]]).toEqual(["pair_missing", "acme_key_id"]);
    const both = explain(`id = ACMEID${r.upper(16)}\ns = ${lone}\n`, matcher);
    expect(both.findings.map((f) => f.secretType)).toEqual(["acme_secret"]);
    expect(both.explained).toEqual([]);
  });

  it("says when a half reported only beside its partner has none", () => {
    const keyId = acme({
      id: "acme_key_id",
      regex: "ACMEID[0-9A-Z]{16}",
      keywords: ["ACMEID"],
      pair: { with: "acme_secret", required: false },
    });
    const secret = acme({
      id: "acme_secret",
      name: "Acme Secret",
      regex: "acmesecret_[A-Za-z0-9]{24}",
      keywords: ["acmesecret_"],
      standalone: false,
    });
    const { matcher } = createMatcher([keyId, secret]);
    const [near, far] = [`acmesecret_${r.alnum(24)}`, `acmesecret_${r.alnum(24)}`];
    const { findings, explained } = explain(
      `id = ACMEID${r.upper(16)}\ns = ${near}\n${"\n".repeat(20)}t = ${far}\n`,
      matcher,
    );
    expect(findings.map((f) => [f.secretType, f.paired?.secret.reveal()])).toEqual([["acme_key_id", near]]);
    expect(explained.map((e) => [e.secret.reveal(), e.reason, e.detail["pairWith"]])).toEqual([
      [far, "pair_missing", "acme_key_id"],
    ]);
  });

  it("names the inline allow marker", () => {
    const token = r.githubToken("ghp");
    for (const marker of ["vigil:allow", "gitleaks:allow"]) {
      const { findings, explained } = explain(`t = "${token}" # ${marker}\n`);
      expect(findings).toEqual([]);
      expect(explained.map((e) => [e.reason, e.detail["marker"]])).toEqual([["inline_allow", marker]]);
    }
  });

  it("names the config allowlist: a value, a regex", () => {
    const value = `acme_${r.alnum(24)}`;
    const other = `acme_fixture_${r.alnum(20)}`;
    const { matcher } = createMatcher([acme()], { allowValues: [value], allowRegexes: ["^acme_fixture_"] });
    const { explained } = explain(`${value}\n${other}\n`, matcher);
    expect(explained.map((e) => [e.reason, e.detail["regex"] ?? ""])).toEqual([
      ["allowlist_value", ""],
      ["allowlist_regex", "^acme_fixture_"],
    ]);
  });

  it("finds what scan finds, and explains nothing that is reported", () => {
    const text = [
      `GITHUB_TOKEN=${r.githubToken("ghp")}`,
      `OLD=${breakLastChar(r.githubToken("gho"))}`,
      "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
      `slack = "xoxb-${r.digits(11)}-${r.digits(12)}-${r.alnum(24)}"`,
      'password = "changeme"',
      "",
    ].join("\n");
    const content = Buffer.from(text);
    const { findings, explained } = catalog.explain(content);
    expect(findings).toEqual(catalog.scan(content));
    for (const e of explained)
      for (const f of findings) expect(e.endOffset <= f.startOffset || f.endOffset <= e.startOffset).toBe(true);
    expect(explained.map((e) => [e.startLine, e.reason])).toEqual(
      expect.arrayContaining([
        [2, "checksum_failed"],
        [3, "placeholder"],
      ]),
    );
  });
});
