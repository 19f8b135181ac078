import RE2 from "re2";

/** A compiled regular expression: RE2 underneath, so matching time is linear in the input. */
export type CompiledRegex = ReturnType<typeof newRe2>;

function newRe2(source: string, flags: string) {
  return new RE2(source, flags);
}

export type RegexResult = { ok: true; regex: CompiledRegex } | { ok: false; reason: string };

/**
 * The one seam through which every regular expression is compiled, built-in or
 * a user's. RE2 has no backtracking, so no pattern can hang a scan; what RE2
 * cannot express (lookaround, backreferences) is refused here with a reason.
 */
export function compileRegex(source: string, flags = ""): RegexResult {
  try {
    return { ok: true, regex: newRe2(source, flags) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: reason.replace(/^SyntaxError:\s*/, "") };
  }
}
