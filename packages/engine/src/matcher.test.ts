import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { definePattern } from "./custom-pattern.js";
import { ExampleRandom } from "./example-random.js";
import { createMatcher } from "./matcher.js";
import type { PatternDefinition } from "./pattern.js";
import { builtinPatterns } from "./patterns/index.js";

const scan = (patterns: readonly PatternDefinition[], text: string) =>
  createMatcher(patterns).matcher.scan(Buffer.from(text));
const catalog = (text: string) => scan(builtinPatterns, text);

describe("custom patterns follow GitHub's semantics", () => {
  // GitHub's documented worked example for custom patterns. Its third match (`@ZA942@a` in
  // `ee95GG@ZA942@aa`) needs Hyperscan's every-end-position matching; RE2 takes the longest
  // match at each start (docs/patterns.md, "Custom patterns").
  const pattern = definePattern({
    name: "Docs example",
    pattern: "[$#%@AA-Za-z0-9]{5,10}",
    end_delimiter: "[^\\.]",
    must_match: ["[A-Z]", "[0-9]", "[$%@!]"],
    must_not_match: ["[a-z]{2,}"],
  });
  it.each([
    ["a9@AAfT!", "a9@AAfT"],
    ["a9@AA!ee9", "a9@AA"],
  ])("finds the secret in %s", (text, secret) => {
    expect(scan([pattern], text).map((f) => f.secret.reveal())).toEqual([secret]);
  });
  it.each(["a9@AA.!", "a@AAAAA", "aa9@AA!ee9", "aAAAe9"])("finds nothing in %s", (text) => {
    expect(scan([pattern], text)).toEqual([]);
  });
});

describe("findings", () => {
  const r = new ExampleRandom(11);
  const token = r.githubToken("ghp");

  it("carries type, 1-based lines and byte columns (end inclusive) and a stable fingerprint", () => {
    const [finding] = catalog(`first line\n  token = "${token}"\n`);
    expect(finding).toMatchObject({
      secretType: "github_personal_access_token",
      secretTypeDisplayName: "GitHub Personal Access Token",
      startLine: 2,
      endLine: 2,
      startColumn: 12,
      endColumn: 12 + 40 - 1,
      confidence: "high",
      pushProtection: true,
    });
    const again = catalog(`elsewhere: ${token}`)[0]!;
    expect(again.fingerprint).toBe(finding!.fingerprint);
    const keyed = createMatcher(builtinPatterns, { fingerprintKey: "other" }).matcher.scan(Buffer.from(token))[0]!;
    expect(keyed.fingerprint).not.toBe(finding!.fingerprint);
  });

  it("never shows the secret unless revealed", () => {
    const [finding] = catalog(token);
    const secret = finding!.secret;
    expect(String(secret)).not.toContain(token.slice(4));
    expect(JSON.stringify(finding)).not.toContain(token.slice(4));
    expect(inspect(finding)).not.toContain(token.slice(4));
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- interpolation is what is under test
    expect(`${secret}`.startsWith("ghp_")).toBe(true);
    expect(secret.reveal()).toBe(token);
  });

  it("reports two adjacent secrets separated by one delimiter", () => {
    const other = r.githubToken("ghp");
    expect(catalog(`${token},${other}`).map((f) => f.secret.reveal())).toEqual([token, other]);
  });

  it("honours inline allow markers of Vigil, gitleaks and detect-secrets", () => {
    for (const marker of ["# vigil:allow", "// gitleaks:allow", "# pragma: allowlist secret"]) {
      expect(catalog(`token = "${token}" ${marker}\nnext = "${token}"`).map((f) => f.startLine)).toEqual([2]);
    }
  });

  it("skips allowlisted values and regexes", () => {
    expect(createMatcher(builtinPatterns, { allowValues: [token] }).matcher.scan(Buffer.from(token))).toEqual([]);
    expect(createMatcher(builtinPatterns, { allowRegexes: ["^ghp_"] }).matcher.scan(Buffer.from(token))).toEqual([]);
  });

  it("ignores placeholders", () => {
    for (const text of [
      "AKIAXXXXXXXXXXXXXXXX",
      "sk_live_${STRIPE_SECRET_KEY_VALUE}",
      "sk_live_<your-secret-key-here-0000>",
    ]) {
      expect(catalog(text), text).toEqual([]);
    }
  });

  it("finds secrets that appear base64-encoded and says so", () => {
    const encoded = Buffer.from(`{"token":"${token}"}`).toString("base64");
    const [finding] = catalog(`auth: ${encoded}\n`);
    expect(finding).toMatchObject({
      secretType: "github_personal_access_token",
      isBase64Encoded: true,
      startColumn: 7,
    });
    expect(finding!.secret.reveal()).toBe(token);
  });

  it("reports an AWS key id and secret key in one file as one paired finding", () => {
    const id = `AKIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;
    const key = r.base64(40);
    const findings = catalog(`[default]\naws_access_key_id=${id}\naws_secret_access_key=${key}\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ secretType: "aws_access_key_id", pushProtection: true });
    expect(findings[0]!.paired).toMatchObject({ secretType: "aws_secret_access_key", startLine: 3 });
    expect(findings[0]!.paired!.secret.reveal()).toBe(key);
    // Alone, a key id is reported but does not block a push; a secret key alone is not reported.
    expect(catalog(`id=${id}`)[0]).toMatchObject({ secretType: "aws_access_key_id", pushProtection: false });
    expect(catalog(`key=${key}`)).toEqual([]);
  });

  it("does not report a pair's second half again as a generic secret", () => {
    const id = `AKIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;
    const key = `${r.base64(19)}7${r.base64(20)}`;
    const findings = catalog(`aws_access_key_id = "${id}"\naws_secret_access_key = "${key}"\n`);
    expect(findings.map((f) => f.secretType)).toEqual(["aws_access_key_id"]);
    expect(findings[0]!.paired!.secret.reveal()).toBe(key);
  });

  it("prefers a provider pattern over a generic one on the same bytes", () => {
    const generic: PatternDefinition = {
      id: "generic_token",
      name: "Generic",
      provider: "Generic",
      regex: "[A-Za-z0-9_]{30,}",
      keywords: ["ghp_"],
      confidence: "low",
      category: "generic",
      pushProtection: false,
      examples: { positive: [], negative: [] },
    };
    const findings = scan([generic, ...builtinPatterns], `x = ${token}`);
    expect(findings.map((f) => f.secretType)).toEqual(["github_personal_access_token"]);
  });

  it("reports a value once when the name-only catch-all and a format both match it", () => {
    const password = r.alnum(12) + "7" + r.alnum(11);
    expect(catalog(`redis_url = "rediss://:${password}@cache.internal:6380"`).map((f) => f.secretType)).toEqual([
      "redis_connection_string",
    ]);
  });
});

describe("follows", () => {
  const rule = (follows?: string): PatternDefinition => ({
    id: "cmp",
    name: "Cmp",
    provider: "Test",
    regex: "[a-z0-9]{6,20}",
    before: "passcode\\s*==\\s*'",
    after: "'",
    keywords: ["passcode"],
    ...(follows !== undefined ? { follows } : {}),
    confidence: "low",
    category: "custom",
    pushProtection: false,
    examples: { positive: [], negative: [] },
  });
  it("drops a keyword hit whose next bytes do not fit, and keeps one that does", () => {
    const text = Buffer.from("if passcode == 'abc123xyz': pass\nprint(passcode)\n");
    expect(createMatcher([rule("\\s*==")]).matcher.scan(text).map((f) => f.secret.reveal())).toEqual(["abc123xyz"]);
    expect(createMatcher([rule("\\s*!=")]).matcher.scan(text)).toEqual([]);
  });
});

describe("pattern problems", () => {
  it("are collected with the pattern id and field, not thrown", () => {
    const bad = (over: Partial<PatternDefinition>): PatternDefinition => ({
      id: "bad",
      name: "Bad",
      provider: "Test",
      regex: "abc",
      keywords: ["abc"],
      confidence: "high",
      category: "custom",
      pushProtection: false,
      examples: { positive: [], negative: [] },
      ...over,
    });
    expect(createMatcher([bad({ regex: "(?=lookahead)" })]).problems).toEqual([
      { patternId: "bad", field: "regex", reason: expect.stringContaining("invalid perl operator") },
    ]);
    expect(createMatcher([bad({ mustMatch: ["ok", "(unclosed"] })]).problems[0]).toMatchObject({
      field: "mustMatch[1]",
    });
    expect(createMatcher([bad({ keywords: ["ab"] })]).problems[0]).toMatchObject({ field: "keywords" });
    expect(createMatcher([bad({ follows: "(?:=|:)" })]).problems[0]).toMatchObject({ field: "follows" });
    expect(createMatcher([bad({}), bad({})]).problems[0]).toMatchObject({
      field: "id",
      reason: "duplicate pattern id",
    });
    expect(createMatcher([bad({ before: "(" })]).problems[0]).toMatchObject({ field: "before" });
  });

  it("name the failing field for lazily compiled patterns too, found at the first keyword hit", () => {
    const { matcher, problems } = createMatcher(
      [
        {
          id: "bad",
          name: "Bad",
          provider: "Test",
          regex: "abc[0-9]+",
          before: "(",
          keywords: ["abc"],
          confidence: "high",
          category: "custom",
          pushProtection: false,
          examples: { positive: [], negative: [] },
        },
      ],
      { lazyCompile: true },
    );
    expect(problems).toEqual([]);
    expect(matcher.scan(Buffer.from("x abc123 y"))).toEqual([]);
    expect(matcher.problems).toEqual([{ patternId: "bad", field: "before", reason: expect.any(String) }]);
  });

  it("cannot make a scan hang: catastrophic-backtracking regexes run in linear time", () => {
    const evil = definePattern({ name: "evil", pattern: "(a+)+b" });
    const { matcher, problems } = createMatcher([evil]);
    expect(problems).toEqual([]);
    const started = Date.now();
    expect(matcher.scan(Buffer.from("a".repeat(100_000) + "!"))).toEqual([]);
    // A backtracking engine needs longer than the universe's age here; RE2 needs milliseconds.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("hits of a keyword that starts the secret", () => {
  // `tok_` starts every match and the default delimiters apply: the regex is tried at each hit
  // alone (sticky), or once over the joined windows of hits close together.
  const pattern: PatternDefinition = {
    id: "test_token",
    name: "Test token",
    provider: "Test",
    regex: "tok_[a-z0-9_]{12,40}",
    keywords: ["tok_"],
    confidence: "high",
    category: "provider",
    pushProtection: false,
    allowPlaceholderLike: true,
    examples: { positive: [], negative: [] },
  };
  const r = new ExampleRandom(23);
  const token = (): string => `tok_${r.lowerAlnum(12)}`;
  const secrets = (text: string): string[] => scan([pattern], text).map((f) => f.secret.reveal());

  it("finds a lone secret, one right at the start and one that ends the content", () => {
    const [a, b, c] = [token(), token(), token()];
    expect(secrets(`${a} ${"x".repeat(2000)} (${b}) ${"y".repeat(2000)} ${c}`)).toEqual([a, b, c]);
  });

  it("finds the secrets among a dense run of hits that do not match", () => {
    const [a, b] = [token(), token()];
    const noise = "tok_ tok_short tok_! ".repeat(40);
    expect(secrets(`${noise}${a} ${noise} ${b} ${noise}`)).toEqual([a, b]);
  });

  it("skips a hit inside a word, and a match that runs on into a word", () => {
    const a = token();
    expect(secrets(`xtok_abcdefabcdef1 ${a}-x ${a}`)).toEqual([a, a]);
    expect(secrets(`${a}X`)).toEqual([]);
  });

  it("reports a secret once when a second hit lies inside it", () => {
    const inner = `tok_tok_${r.lower(14)}`;
    expect(secrets(`value ${inner} end`)).toEqual([inner]);
  });
});

describe("the probe and the span read off the match", () => {
  it("find the same secrets before and after a pattern's probe is compiled, and several per window", () => {
    const r = new ExampleRandom(31);
    const generic = builtinPatterns.filter((p) => p.id === "generic_secret");
    const { matcher } = createMatcher(generic);
    const lines: string[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 40; i++) {
      const a = `${r.alnum(10)}7${r.alnum(9)}`;
      const b = `${r.alnum(12)}3${r.alnum(7)}`;
      expected.push(a, b);
      // Two assignments close together (one window), a near miss, and an escaped quote as notebooks write.
      lines.push(`db_client_secret_${i} = "${a}"; api_token: '${b}'`, `token = getToken(${i})`, `"x": "\\"`);
    }
    // Scanned a line at a time (the first windows run before the probe exists), then all at once.
    const one = lines.flatMap((line) => matcher.scan(Buffer.from(line)).map((f) => f.secret.reveal()));
    const all = matcher.scan(Buffer.from(lines.join("\n"))).map((f) => f.secret.reveal());
    expect(one).toEqual(expected);
    expect(all).toEqual(expected);
  });
});
