import type { Confidence, PatternCategory } from "./pattern.js";
import type { SecretSpan } from "./finding.js";
import type { SecretValue } from "./secret-value.js";

/**
 * Why a string that a pattern's regex matched is not reported (`Matcher.explain`, `vigil scan --explain`):
 * - `checksum_failed`: the rule's checksum (`validation.kind: "checksum"`) does not match.
 * - `validator_rejected`: the rule's structural check in code rejected it.
 * - `placeholder`: it looks like an example or template value (`detail.test` says which test).
 * - `low_entropy`: its Shannon entropy is below the rule's minimum (`detail.entropy`, `detail.required`).
 * - `must_match_failed` / `must_not_match`: it lacks what the rule requires, or has what it excludes.
 * - `context_absent`: the value alone has the type's format, but the context the rule requires
 *   around it (`before`/`after`, such as the provider's name in an assignment) is not there.
 * - `pair_missing`: a half of a pair that is reported only beside its partner, which is absent.
 * - `inline_allow`: its line carries an allow marker (`vigil:allow`…).
 * - `allowlist_value` / `allowlist_regex`: the config's allowlist names it.
 * - `allowlist_path`: never from the engine; the CLI's, for a file the config's allowlist.paths leaves out.
 */
export type ExplainReason =
  | "checksum_failed"
  | "validator_rejected"
  | "placeholder"
  | "low_entropy"
  | "must_match_failed"
  | "must_not_match"
  | "context_absent"
  | "pair_missing"
  | "inline_allow"
  | "allowlist_value"
  | "allowlist_regex"
  | "allowlist_path";

/** A candidate that a pattern's regex matched and that is not reported, and why. */
export interface ExplainedCandidate extends SecretSpan {
  secretType: string;
  secretTypeDisplayName: string;
  provider: string;
  category: PatternCategory;
  confidence: Confidence;
  secret: SecretValue;
  /** Found inside a base64-encoded segment; the span is that segment's. */
  isBase64Encoded: boolean;
  reason: ExplainReason;
  /** One sentence for people: what failed, with the measured figures. */
  message: string;
  /** The reason's figures, for machines (e.g. `{ entropy: 2.75, required: 3.5 }`, `{ test: "template" }`). */
  detail: Record<string, string | number>;
}

/** The reason part of an explained candidate. */
export interface Rejection {
  reason: ExplainReason;
  message: string;
  detail: Record<string, string | number>;
}

/** A regex source as messages quote it: long ones (generated assignment contexts) cut short. */
export function quoteRegex(source: string, max = 120): string {
  return source.length <= max ? `/${source}/` : `/${source.slice(0, max)}…/`;
}
