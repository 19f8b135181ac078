import { compileRegex, createMatcher, definePattern, type CustomPatternInput } from "vigil-secrets-engine";
import type { CustomPatternFields } from "./custom-pattern-store.js";

/** GitHub's validation error codes for a custom pattern's fields. */
export type PatternErrorCode =
  "invalid" | "name" | "start_delimiter" | "end_delimiter" | "must_match" | "must_not_match";

const FIELD_CODES: Record<string, PatternErrorCode> = {
  regex: "invalid",
  before: "start_delimiter",
  after: "end_delimiter",
  mustMatch: "must_match",
  mustNotMatch: "must_not_match",
};

/**
 * What is wrong with a pattern's fields, in GitHub's codes, or nothing. Regexes must compile under
 * RE2 (linear time: no backreferences or lookaround, which backtracking engines need) and stay under
 * the engine's program-size limit (an enormous alternation is refused, not run slowly); the secret's
 * format must not match the empty string (it would match at every byte).
 */
export function patternProblems(
  fields: Pick<
    CustomPatternFields,
    "name" | "pattern" | "startDelimiter" | "endDelimiter" | "mustMatch" | "mustNotMatch"
  >,
): { code: PatternErrorCode; message: string }[] {
  const problems: { code: PatternErrorCode; message: string }[] = [];
  if (fields.name.trim() === "" || fields.name.length > 200)
    problems.push({ code: "name", message: "name must be 1 to 200 characters" });
  if (fields.pattern === "") return [...problems, { code: "invalid", message: "pattern must not be empty" }];
  const input: CustomPatternInput = {
    id: "cp_check",
    name: fields.name,
    pattern: fields.pattern,
    ...(fields.startDelimiter !== null ? { start_delimiter: fields.startDelimiter } : {}),
    ...(fields.endDelimiter !== null ? { end_delimiter: fields.endDelimiter } : {}),
    ...(fields.mustMatch ? { must_match: fields.mustMatch } : {}),
    ...(fields.mustNotMatch ? { must_not_match: fields.mustNotMatch } : {}),
  };
  for (const problem of createMatcher([definePattern(input)]).problems) {
    const field = problem.field.replace(/\[\d+\]$/, "");
    const code = FIELD_CODES[field] ?? "invalid";
    const label = code === "invalid" ? "pattern" : code;
    problems.push({
      code,
      message: `${label} ${problem.field.includes("[") ? problem.field.slice(problem.field.indexOf("[")) + " " : ""}${problem.reason}`,
    });
  }
  if (problems.length === 0) {
    const whole = compileRegex(`^(?:${fields.pattern})$`);
    if (whole.ok && whole.regex.test(""))
      problems.push({ code: "invalid", message: "pattern matches the empty string: it would match at every position" });
  }
  return problems;
}
