export { SecretValue, maskSecret } from "./secret-value.js";
export type {
  Confidence,
  NegativeExample,
  PatternCategory,
  PatternDefinition,
  PatternExamples,
  PatternPair,
  PatternValidation,
  PositiveExample,
} from "./pattern.js";
export { DEFAULT_AFTER, DEFAULT_BEFORE } from "./pattern.js";
export type { Finding, PairedSecret, SecretSpan } from "./finding.js";
export { createMatcher } from "./matcher.js";
export type { Matcher, MatcherOptions, MatcherResult, PatternProblem } from "./matcher.js";
export type { Derivation, ScanMemo } from "./scan-memo.js";
export { compileRegex } from "./regex.js";
export type { CompiledRegex, RegexResult } from "./regex.js";
export { shannonEntropy } from "./entropy.js";
export { isPlaceholder, placeholderTest } from "./placeholder.js";
export type { PlaceholderTest } from "./placeholder.js";
export type { ExplainedCandidate, ExplainReason } from "./explain.js";
export { INLINE_ALLOW_MARKERS } from "./inline-allow.js";
export { DEFAULT_FINGERPRINT_KEY, fingerprintSecret } from "./fingerprint.js";
export { crc32, decodeBase62, encodeBase62, hasValidGithubChecksum, withGithubChecksum } from "./checksum/index.js";
export { ExampleRandom } from "./example-random.js";
export { KeywordPrefilter } from "./prefilter/keyword-prefilter.js";
export { builtinPatterns, compareCatalogOrder } from "./patterns/index.js";
export { definePattern, slugify } from "./custom-pattern.js";
export type { CustomPatternInput } from "./custom-pattern.js";
export { base64Keywords } from "./base64.js";

/** Bumped when the catalog or matching changes in a way that should invalidate scan caches. */
export const ENGINE_VERSION = "0.1.0";
export {
  buildCheckRequest,
  classifyCheckResponse,
  validityCheckFor,
  validityChecks,
} from "./validity/validity-check.js";
export type {
  CheckRequest,
  ResponseMatcher,
  Validity,
  ValidityCheck,
  ValidityCheckData,
  ValidityCheckDocument,
} from "./validity/validity-check.js";
