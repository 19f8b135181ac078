import RE2 from "re2";
import { estimateRegexCost } from "./regex-cost.js";

/**
 * Limits on a regex's estimated RE2 program (see `estimateRegexCost`). RE2 stays linear, but the
 * constant grows with the program: 2,000 overlapping alternatives scan 1 MB in about a minute, 500 in
 * two seconds. The largest built-in pattern is about 15,000 instructions with 4 alternatives.
 */
export const MAX_REGEX_PROGRAM = 20_000;
export const MAX_REGEX_ALTERNATIVES = 1_000;

/** A compiled regular expression: RE2 underneath, so matching time is linear in the input. */
export type CompiledRegex = ReturnType<typeof newRe2>;

function newRe2(source: string, flags: string) {
  return new RE2(source, flags);
}

export type RegexResult = { ok: true; regex: CompiledRegex } | { ok: false; reason: string };

/**
 * The one seam through which every regular expression is compiled, built-in or
 * a user's. RE2 has no backtracking, so no pattern can hang a scan; what RE2
 * cannot express (lookaround, backreferences) is refused here with a reason, and so is a regex whose
 * program would be too large to scan at speed (`MAX_REGEX_PROGRAM`, `MAX_REGEX_ALTERNATIVES`).
 */
export function compileRegex(source: string, flags = ""): RegexResult {
  const cost = estimateRegexCost(source);
  if (cost.size > MAX_REGEX_PROGRAM || cost.alternatives > MAX_REGEX_ALTERNATIVES) {
    const what = [
      cost.size > MAX_REGEX_PROGRAM
        ? `about ${cost.size.toLocaleString("en-US")} RE2 instructions (at most ${MAX_REGEX_PROGRAM.toLocaleString("en-US")})`
        : "",
      cost.alternatives > MAX_REGEX_ALTERNATIVES
        ? `${cost.alternatives.toLocaleString("en-US")} alternatives (at most ${MAX_REGEX_ALTERNATIVES.toLocaleString("en-US")})`
        : "",
    ].filter(Boolean);
    return {
      ok: false,
      reason: `too large to scan at speed: ${what.join(", ")}; split it into several patterns or narrow its repetitions`,
    };
  }
  try {
    return { ok: true, regex: newRe2(source, flags) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: reason.replace(/^SyntaxError:\s*/, "") };
  }
}
