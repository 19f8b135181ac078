import type { CustomPatternInput } from "vigil-secrets-engine";
import { customPatternTypeId, type CustomPattern } from "./custom-pattern-store.js";

/** The engine's input for a stored pattern: its id is GitHub's `cp_<id>`, so alerts name the pattern exactly. */
export function toPatternInput(p: CustomPattern): CustomPatternInput {
  return {
    id: customPatternTypeId(p.id),
    name: p.name,
    pattern: p.pattern,
    ...(p.startDelimiter !== null ? { start_delimiter: p.startDelimiter } : {}),
    ...(p.endDelimiter !== null ? { end_delimiter: p.endDelimiter } : {}),
    ...(p.mustMatch ? { must_match: p.mustMatch } : {}),
    ...(p.mustNotMatch ? { must_not_match: p.mustNotMatch } : {}),
    push_protection: p.pushProtectionEnabled,
  };
}
