import type { AlertQuery } from "../alerts/alert-store.js";
import type { AlertResolution, Validity } from "../alerts/types.js";
import { ApiError } from "./api-error.js";

const RESOLUTIONS: readonly AlertResolution[] = ["false_positive", "wont_fix", "revoked", "used_in_tests", "pattern_edited", "pattern_deleted"];
const VALIDITIES: readonly Validity[] = ["active", "inactive", "unknown"];

export interface ParsedAlertList {
  query: Omit<AlertQuery, "repoIds">;
  /** `assignee=<login>`: resolved to a user id by the caller (an unknown login matches nothing). */
  assigneeLogin?: string;
  hideSecret: boolean;
  /** The request used cursors (`before`/`after`, even empty), so the `Link` header uses them too. */
  cursorMode: boolean;
}

/**
 * GitHub's list-alerts query parameters. Unknown values are a 422 naming the parameter; unknown
 * parameters are ignored, as GitHub ignores them. `allowPage` is false for the enterprise scope.
 */
export function parseAlertListQuery(params: URLSearchParams, allowPage = true): ParsedAlertList {
  const list = (name: string): string[] | undefined => {
    const raw = params.get(name);
    if (raw === null || raw.trim() === "") return undefined;
    return raw.split(",").map((v) => v.trim()).filter(Boolean);
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const raw = params.get(name);
    if (raw === null || raw === "") return undefined;
    if (!allowed.includes(raw as T)) throw invalid(name, raw, allowed);
    return raw as T;
  };
  const listOf = <T extends string>(name: string, allowed: readonly T[]): T[] | undefined => {
    const values = list(name);
    for (const value of values ?? []) if (!allowed.includes(value as T)) throw invalid(name, value, allowed);
    return values as T[] | undefined;
  };
  const bool = (name: string): boolean | undefined => {
    const raw = params.get(name);
    if (raw === null || raw === "") return undefined;
    if (raw !== "true" && raw !== "false") throw invalid(name, raw, ["true", "false"]);
    return raw === "true";
  };
  const int = (name: string, min: number, max: number, fallback: number): number => {
    const raw = params.get(name);
    if (raw === null || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new ApiError(422, `Invalid value for ${name}: must be an integer of at least ${min}`, [{ resource: "SecretScanningAlert", field: name, code: "invalid", value: raw }]);
    return Math.min(n, max);
  };

  const secretTypes = list("secret_type");
  const excludeSecretTypes = list("exclude_secret_types");
  if (secretTypes && excludeSecretTypes) {
    throw new ApiError(422, "secret_type and exclude_secret_types cannot be used together", [{ resource: "SecretScanningAlert", field: "exclude_secret_types", code: "invalid" }]);
  }
  const providers = list("providers");
  const excludeProviders = list("exclude_providers");
  if (providers && excludeProviders) {
    throw new ApiError(422, "providers and exclude_providers cannot be used together", [{ resource: "SecretScanningAlert", field: "exclude_providers", code: "invalid" }]);
  }
  const before = params.get("before");
  const after = params.get("after");
  if (before !== null && after !== null) {
    throw new ApiError(422, "before and after cannot be used together", [{ resource: "SecretScanningAlert", field: "before", code: "invalid" }]);
  }
  const cursorMode = before !== null || after !== null || !allowPage;
  const query: Omit<AlertQuery, "repoIds"> = {
    sort: oneOf("sort", ["created", "updated"] as const) ?? "created",
    direction: oneOf("direction", ["asc", "desc"] as const) ?? "desc",
    perPage: int("per_page", 1, 100, 30),
  };
  const state = oneOf("state", ["open", "resolved"] as const);
  if (state) query.state = state;
  if (secretTypes) query.secretTypes = secretTypes;
  if (excludeSecretTypes) query.excludeSecretTypes = excludeSecretTypes;
  const resolutions = listOf("resolution", RESOLUTIONS);
  if (resolutions) query.resolutions = resolutions;
  const validities = listOf("validity", VALIDITIES);
  if (validities) query.validities = validities;
  // GitHub: is_publicly_leaked and is_multi_repo default to false, meaning "no filter" unless true.
  if (bool("is_publicly_leaked") === true) query.isPubliclyLeaked = true;
  if (bool("is_multi_repo") === true) query.isMultiRepo = true;
  if (providers) query.providers = providers;
  if (excludeProviders) query.excludeProviders = excludeProviders;
  let assigneeLogin: string | undefined;
  const assignee = params.get("assignee");
  if (assignee === "*") query.assignee = "any";
  else if (assignee === "none") query.assignee = "none";
  else if (assignee) assigneeLogin = assignee;
  const isBypassed = bool("is_bypassed");
  if (isBypassed !== undefined) query.isBypassed = isBypassed;
  if (cursorMode) {
    if (before) query.before = before;
    if (after) query.after = after;
  } else {
    query.page = int("page", 1, Number.MAX_SAFE_INTEGER, 1);
  }
  return { query, hideSecret: bool("hide_secret") ?? false, cursorMode, ...(assigneeLogin ? { assigneeLogin } : {}) };
}

/** `hide_secret`, for get-alert: the same strict boolean as the list (`true`/`false`; anything else 422). */
export function parseHideSecret(params: URLSearchParams): boolean {
  const raw = params.get("hide_secret");
  if (raw === null || raw === "") return false;
  if (raw !== "true" && raw !== "false") throw invalid("hide_secret", raw, ["true", "false"]);
  return raw === "true";
}

function invalid(name: string, value: string, allowed: readonly string[]): ApiError {
  return new ApiError(422, `Invalid value for ${name}: '${value.slice(0, 64)}' is not one of ${allowed.join(", ")}`, [
    { resource: "SecretScanningAlert", field: name, code: "invalid", value: value.slice(0, 64) },
  ]);
}
