import type { ExampleRandom } from "./example-random.js";

/** High confidence patterns are provider-specific and may block pushes; low ones are generic. */
export type Confidence = "high" | "low";

/** GitHub's split: provider patterns, non-provider ("generic") patterns, and users' custom patterns. */
export type PatternCategory = "provider" | "generic" | "custom";

/** A positive example: literal text, or text synthesised at test time (so the repository holds no live-looking secret). */
export type PositiveExample = string | ((random: ExampleRandom) => string);

export interface NegativeExample {
  text: string | ((random: ExampleRandom) => string);
  /** One line saying why this must not match. */
  reason: string;
}

export interface PatternExamples {
  positive: PositiveExample[];
  negative: NegativeExample[];
}

/**
 * When a pattern is one half of a pair (AWS key id + secret key), GitHub reports
 * one alert, under the first half's type, when both halves sit in the same
 * file. The reported half names the other in `with`.
 */
export interface PatternPair {
  /** The pattern id of the other half. */
  with: string;
  /** Report this half only when the other half is in the same content. */
  required: boolean;
}

/**
 * A detection rule. Regexes use RE2 syntax (a subset of PCRE without
 * backtracking); `before`/`after` are GitHub custom-pattern delimiters: context
 * that must surround the secret but is not part of it.
 */
export interface PatternDefinition {
  /** GitHub `secret_type` slug where GitHub has one. */
  id: string;
  /** GitHub's `secret_type_display_name`. */
  name: string;
  provider: string;
  /** The secret's format. The whole match is the secret. */
  regex: string;
  /** Context before the secret. Default `\A|[^0-9A-Za-z]`. */
  before?: string;
  /** Context after the secret. Default `\z|[^0-9A-Za-z]`. */
  after?: string;
  /** Match the secret case-insensitively. */
  ignoreCase?: boolean;
  /** Each of these must match somewhere in the secret. */
  mustMatch?: string[];
  /** None of these may match anywhere in the secret. */
  mustNotMatch?: string[];
  /**
   * Literal strings (case-insensitive, at least 3 bytes) of which one occurs
   * in or near every secret. The prefilter looks for these; the regex runs only
   * around them. Empty: the regex runs over the whole content (slow path).
   * Write them in the case the secret uses (`AKIA`, `AIza`): for `base64`
   * patterns their base64 forms are derived from that spelling.
   */
  keywords: string[];
  /** Bytes around a keyword hit that the regex looks at (default 64 before, 256 after). */
  window?: { before: number; after: number };
  /**
   * A simple regex a window must match before the pattern's own regex runs on it. For context-heavy
   * patterns whose keywords are common words (`token`, `secret`): the full regex, with its
   * alternations, costs tens of microseconds per window; a gate such as "an assignment followed by a
   * quote" turns most windows away for a fraction of that. It must match wherever the regex would.
   */
  gate?: string;
  /**
   * The secret is a quoted literal assigned to the name the keyword is part of (`api_token = "…"`,
   * `password: '…'`): a keyword hit counts only when the rest of the name (up to 25 name characters),
   * blanks, an assignment operator (`=`, `:`, `=>`, `:=`, `<-`), blanks and a quote follow it. Checked
   * in the hit loop, before any window or regex: for keywords that are common words in code, most hits
   * end there. Every name the rule's `before` accepts must therefore contain one of its keywords.
   */
  quotedAssignment?: boolean;
  /**
   * What the bytes right after every keyword hit must look like, for rules whose context puts the
   * keyword just before something definite (`password` then `\s*[=!]=` in a comparison): literals,
   * classes and counts, no groups or alternatives, and a run of varying length only where the next
   * part needs a byte outside it (`[0-9]{0,2}[ \t]{0,40}[:=]`), so that reading greedily is exact. A
   * hit that does not fit is dropped in the hit loop before any window or regex. It must hold for
   * every keyword of the rule; the rule's positive examples test it.
   */
  follows?: string;
  /**
   * The pattern knows only a name (`password = …`), not a format: where its match overlaps one of a
   * pattern that knows a format (`redis://…`, `.pypirc`), that one is reported. Implied by
   * `quotedAssignment`.
   */
  nameOnly?: boolean;
  /** Minimum Shannon entropy (bits/char) of the secret. */
  minEntropy?: number;
  /** Offline validation: checksums, structure. Returns false to reject. */
  validate?: (secret: string) => boolean;
  /**
   * What `validate` checks, for `vigil scan --explain` (never read by the scan itself): a checksum
   * (`kind: "checksum"`, reported as `checksum_failed`) or structure. `check` names it in a few words
   * (`GitHub's CRC32 checksum`); without this field a rejection reads "the rule's structural check".
   */
  validation?: PatternValidation;
  /**
   * The context \`before\`/\`after\` require, in words, for \`--explain\` (never read by the scan):
   * \`assigned to a name holding "acme" and a word such as key, token or secret\`. Without it the
   * context regexes are quoted.
   */
  contextDescription?: string;
  confidence: Confidence;
  category: PatternCategory;
  /** Eligible for push protection (GitHub's flag for this secret type). */
  pushProtection: boolean;
  /** Whether the issuer offers a validity check for this type (reported, not done by the engine). */
  validityCheck?: boolean;
  /** Detect this type when it appears base64-encoded. */
  base64?: boolean;
  /** Skip the placeholder filter (formats that cannot look like `xxxx` or `${VAR}`). */
  allowPlaceholderLike?: boolean;
  pair?: PatternPair;
  /** `false`: reported only as the other half of a pair (an AWS secret key means nothing without its key id). */
  standalone?: boolean;
  examples: PatternExamples;
}

/** See `PatternDefinition.validation`. */
export interface PatternValidation {
  kind: "checksum" | "structure";
  /** A noun phrase: `the CRC32 checksum in the last 6 base62 characters`. */
  check: string;
}

export const DEFAULT_BEFORE = "\\A|[^0-9A-Za-z]";
export const DEFAULT_AFTER = "\\z|[^0-9A-Za-z]";
