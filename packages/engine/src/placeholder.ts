/**
 * Text that documentation and templates put where a secret goes. A match that
 * contains one of these is an example, not a leak.
 */
const PLACEHOLDER =
  /x{4,}|\*{4,}|\.{3}|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[A-Z_]{3,}%|EXAMPLE|your[_-]?(?:api[_-]?)?(?:key|token|secret|password)|(?:my|your)[_-]?pass(?:word|wd)?|changeme|placeholder|redacted|replace[_-]?me|insert[_-]?(?:key|token|here)/i;

/** Also placeholder-like: a long value made of three or fewer distinct characters (`0000…`, `abab…`). */
export function isPlaceholder(secret: string): boolean {
  if (PLACEHOLDER.test(secret)) return true;
  if (secret.length >= 8 && new Set(secret).size <= 3) return true;
  return false;
}

/** Which placeholder test a value fails (see `placeholderTest`). */
export type PlaceholderTest = "masked" | "template" | "known-example" | "placeholder-word" | "repeated-characters";

/**
 * The parts of `PLACEHOLDER`, one per test, for `--explain` (the scan itself uses the one regex
 * above). Together they match exactly what it matches: placeholder.test.ts checks it.
 */
const PLACEHOLDER_TESTS: ReadonlyArray<{ test: PlaceholderTest; regex: RegExp; says: string }> = [
  { test: "masked", regex: /x{4,}|\*{4,}|\.{3}/i, says: "masked or elided characters (xxxx, ****, ...)" },
  {
    test: "template",
    regex: /<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[A-Z_]{3,}%/i,
    says: "template syntax (<…>, ${…}, {{…}}, %VAR%)",
  },
  {
    test: "known-example",
    regex: /EXAMPLE/i,
    says: "the word EXAMPLE, as documentation's example keys have (AKIAIOSFODNN7EXAMPLE)",
  },
  {
    test: "placeholder-word",
    regex:
      /your[_-]?(?:api[_-]?)?(?:key|token|secret|password)|(?:my|your)[_-]?pass(?:word|wd)?|changeme|placeholder|redacted|replace[_-]?me|insert[_-]?(?:key|token|here)/i,
    says: "a placeholder word (your_api_key, changeme, placeholder, redacted, replace_me…)",
  },
];

/**
 * Why `isPlaceholder(secret)` is true: the test that fails and the text that fails it; undefined when
 * it is false. Only `--explain` calls this.
 */
export function placeholderTest(
  secret: string,
): { test: PlaceholderTest; text: string; description: string } | undefined {
  for (const { test, regex, says } of PLACEHOLDER_TESTS) {
    const m = regex.exec(secret);
    if (m) return { test, text: m[0], description: `it contains ${says}: "${m[0]}"` };
  }
  if (secret.length >= 8 && new Set(secret).size <= 3) {
    const distinct = [...new Set(secret)].join("");
    return {
      test: "repeated-characters",
      text: distinct,
      description: `it is ${secret.length} characters made of only ${new Set(secret).size} distinct ones ("${distinct}")`,
    };
  }
  return undefined;
}
