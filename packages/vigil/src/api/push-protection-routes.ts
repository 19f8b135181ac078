import { builtinPatterns } from "vigil-secrets-engine";
import type { Context, Hono } from "hono";
import type { AlertStore } from "../alerts/alert-store.js";
import type { BypassReason, Organization } from "../alerts/types.js";
import type { PatternConfig, PatternConfigScope, PatternSetting, PushMetrics, PushProtectionStore } from "../push-protection/push-protection-store.js";
import type { ApiEnv } from "./api-env.js";
import { ApiError, notFound } from "./api-error.js";
import { readJsonBody, requireScopes } from "./authenticate.js";
import { resolveAlertRepository, resolveManagedOrganization } from "./repo-access.js";
import type { ReviewRequest, ReviewStore } from "../alerts/review-store.js";
import { formatRequest, isReviewer } from "./review-routes.js";

/** How long an allowed secret may be pushed (GitHub gives the pusher a few hours). */
export const BYPASS_TTL_MS = 3 * 60 * 60 * 1000;
const REASONS: readonly BypassReason[] = ["false_positive", "used_in_tests", "will_fix_later"];
const SETTINGS: readonly PatternSetting[] = ["not-set", "disabled", "enabled"];
/** Patterns a configuration lists: provider patterns (generic ones never block pushes). */
const CONFIGURABLE = builtinPatterns.filter((p) => p.category === "provider");
const INITIAL_VERSION = "0";

export interface BypassResult {
  reason: BypassReason;
  expire_at: string | null;
  token_type: string;
}

/** Under delegated bypass, what a pusher who is not a reviewer gets instead of an allowance. */
export interface BypassRequested {
  request: ReviewRequest;
  created: boolean;
}

/**
 * Allows a blocked secret for its pusher: only the user whose push was blocked may, within the
 * repository the placeholder belongs to, while push protection is on (else 404, as GitHub answers).
 * When the organization requires bypass review and the pusher is not a reviewer, a bypass request
 * (with the optional `comment`) is recorded instead, for a reviewer to approve or deny.
 */
export async function createBypass(
  store: AlertStore,
  pushProtection: PushProtectionStore,
  user: { id: number; siteAdmin: boolean },
  owner: string,
  name: string,
  body: unknown,
  reviews?: ReviewStore,
): Promise<BypassResult | BypassRequested> {
  const repo = await store.getRepository(owner, name);
  if (!repo) throw notFound();
  const roles = await store.getRoles(user.id, repo.id);
  if (!user.siteAdmin && !roles.orgRole && !roles.repoRole) throw notFound();
  const input = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const reason = input.reason;
  const placeholderId = input.placeholder_id;
  if (typeof placeholderId !== "string" || placeholderId === "") {
    throw new ApiError(422, "Bad request, input data missing or incorrect: placeholder_id is required", [{ resource: "PushProtectionBypass", field: "placeholder_id", code: "missing_field" }]);
  }
  if (!REASONS.includes(reason as BypassReason)) {
    throw new ApiError(422, `Bad request, input data missing or incorrect: reason must be one of ${REASONS.join(", ")}`, [{ resource: "PushProtectionBypass", field: "reason", code: "invalid" }]);
  }
  const placeholder = await pushProtection.getPlaceholder(placeholderId);
  if (!placeholder || placeholder.repoId !== repo.id || !repo.pushProtectionEnabled) {
    throw new ApiError(404, "Placeholder ID not found, or push protection is disabled on this repository.");
  }
  if (placeholder.pusherId !== user.id) throw new ApiError(403, "User does not have enough permissions to perform this action.");
  const comment = input.comment;
  if (comment !== undefined && comment !== null && (typeof comment !== "string" || comment.length > 2048)) {
    throw new ApiError(422, "Bad request, input data missing or incorrect: comment must be a string of at most 2048 characters", [{ resource: "PushProtectionBypass", field: "comment", code: "invalid" }]);
  }
  if (reviews && (await reviews.getOrgReviewSettings(repo.orgId)).bypassReview) {
    if (!(await isReviewer(store, user, repo.orgId))) {
      return reviews.createRequest({
        kind: "bypass",
        repoId: repo.id,
        requesterId: user.id,
        placeholderId,
        secretType: placeholder.secretType,
        reason: reason as BypassReason,
        comment: typeof comment === "string" && comment.trim() !== "" ? comment : null,
      });
    }
  }
  const allowed = await pushProtection.allowPlaceholder(placeholderId, reason as BypassReason, BYPASS_TTL_MS);
  return { reason: allowed.reason!, expire_at: isoSeconds(allowed.expiresAt), token_type: allowed.secretType };
}

export function mountPushProtectionRoutes(app: Hono<ApiEnv>, store: AlertStore, pushProtection: PushProtectionStore, enterpriseSlug: string, reviews?: ReviewStore): void {

  app.post("/repos/:owner/:repo/secret-scanning/push-protection-bypasses", async (c) => {
    const user = c.get("user");
    // Scope after the existence check inside createBypass would leak nothing more; check it first for a clear 403.
    const body = await readJsonBody(c);
    const repo = await store.getRepository(c.req.param("owner"), c.req.param("repo"));
    if (repo) {
      const roles = await store.getRoles(user.id, repo.id);
      if (user.siteAdmin || roles.orgRole || roles.repoRole) requireScopes(c, ["repo"]);
    }
    const result = await createBypass(store, pushProtection, user, c.req.param("owner"), c.req.param("repo"), body, reviews);
    if (!("request" in result)) return c.json(result);
    // Delegated bypass: not allowed yet; 202 with the bypass request a reviewer must approve (Vigil's answer; GitHub documents none).
    const target = (await store.getRepositoryById(result.request.repoId))!;
    const org = (await store.getOrganizationById(target.orgId))!;
    const users = new Map([[user.id, user]]);
    return c.json(formatRequest(result.request, { repo: target, org, urls: c.get("urls"), users }), 202);
  });

  // --- pattern configurations ---------------------------------------------------------------
  app.get("/orgs/:org/secret-scanning/pattern-configurations", async (c) => {
    const org = await resolveManagedOrganization(store, c.get("user"), c.req.param("org"));
    requireScopes(c, ["read:org", "write:org", "admin:org"]);
    return c.json(await describePatternConfig(store, pushProtection, `org:${org.id}`, org));
  });

  app.patch("/orgs/:org/secret-scanning/pattern-configurations", async (c) => {
    const user = c.get("user");
    const org = await resolveManagedOrganization(store, user, c.req.param("org"));
    requireScopes(c, ["write:org", "admin:org"]);
    return c.json(await updatePatternConfig(pushProtection, `org:${org.id}`, await readJsonBody(c)));
  });

  app.get("/enterprises/:enterprise/secret-scanning/pattern-configurations", async (c) => {
    if (c.req.param("enterprise") !== enterpriseSlug || !c.get("user").siteAdmin) throw notFound();
    requireScopes(c, ["admin:enterprise"]);
    return c.json(await describePatternConfig(store, pushProtection, "enterprise", null));
  });

  app.patch("/enterprises/:enterprise/secret-scanning/pattern-configurations", async (c) => {
    if (c.req.param("enterprise") !== enterpriseSlug || !c.get("user").siteAdmin) throw notFound();
    requireScopes(c, ["admin:enterprise"]);
    return c.json(await updatePatternConfig(pushProtection, "enterprise", await readJsonBody(c)));
  });

  // --- push protection metrics (Vigil's extension, for the dashboard) ---------------------------
  app.get("/orgs/:org/secret-scanning/push-protection-metrics", async (c) => {
    const org = await resolveManagedOrganization(store, c.get("user"), c.req.param("org"));
    requireScopes(c, ["repo", "security_events"]);
    const repos = await store.listRepositories({ orgId: org.id });
    const names = new Map(repos.map((r) => [r.id, r.fullName]));
    return c.json(formatMetrics(await pushProtection.pushMetrics({ repoIds: repos.map((r) => r.id), ...since(c) }), names));
  });

  app.get("/repos/:owner/:repo/secret-scanning/push-protection-metrics", async (c) => {
    const { repo } = await resolveAlertRepository(store, c.get("user"), c.req.param("owner"), c.req.param("repo"));
    requireScopes(c, ["repo", "security_events"]);
    return c.json(formatMetrics(await pushProtection.pushMetrics({ repoIds: [repo.id], ...since(c) }), new Map([[repo.id, repo.fullName]])));
  });
}

/** The pattern configuration as GitHub's JSON (each pattern's setting, alert total, false-positive and bypass rates), for the API and the settings page. */
export async function describePatternConfig(
  store: AlertStore,
  pushProtection: PushProtectionStore,
  scope: PatternConfigScope,
  org: Organization | null,
): Promise<Record<string, unknown>> {
  const own = await pushProtection.getPatternConfig(scope);
  const enterprise = scope === "enterprise" ? own : await pushProtection.getPatternConfig("enterprise");
  const repos = await store.listRepositories(org ? { orgId: org.id } : {});
  const repoIds = repos.map((r) => r.id);
  const stats = await pushProtection.alertStatsByType(repoIds);
  const metrics = await pushProtection.pushMetrics({ repoIds });
  const blocks = new Map(metrics.byType.map((t) => [t.secretType, t]));
  const allAlerts = [...stats.values()].reduce((sum, s) => sum + s.total, 0);
  const percent = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part / whole) * 100));
  return {
    pattern_config_version: own.version === INITIAL_VERSION ? null : own.version,
    provider_pattern_overrides: CONFIGURABLE.map((p) => {
      const s = stats.get(p.id) ?? { total: 0, falsePositives: 0 };
      const b = blocks.get(p.id) ?? { blocked: 0, bypassed: 0 };
      return {
        token_type: p.id.toUpperCase(),
        custom_pattern_version: null,
        slug: p.id,
        display_name: p.name,
        alert_total: s.total,
        alert_total_percentage: percent(s.total, allAlerts),
        false_positives: s.falsePositives,
        false_positive_rate: percent(s.falsePositives, s.total),
        bypass_rate: Math.min(100, percent(b.bypassed, b.blocked)),
        default_setting: p.pushProtection ? "enabled" : "disabled",
        enterprise_setting: scope === "enterprise" ? null : settingOf(enterprise, p.id),
        setting: settingOf(own, p.id),
      };
    }),
    custom_pattern_overrides: [],
  };
}

/** Applies GitHub's pattern-configuration PATCH body; 409 when `pattern_config_version` is not the current one, 422 on a bad entry. */
export async function updatePatternConfig(
  pushProtection: PushProtectionStore,
  scope: PatternConfigScope,
  body: unknown,
): Promise<Record<string, unknown>> {
  const input = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const version = input.pattern_config_version;
  if (version !== undefined && version !== null && typeof version !== "string") throw unprocessable("pattern_config_version", "must be a string or null");
  const list = input.provider_pattern_settings ?? [];
  if (!Array.isArray(list)) throw unprocessable("provider_pattern_settings", "must be an array");
  const known = new Map(CONFIGURABLE.map((p) => [p.id, p]));
  const settings = new Map<string, PatternSetting>();
  for (const [index, item] of list.entries()) {
    const entry = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
    const id = typeof entry.token_type === "string" ? entry.token_type.toLowerCase() : "";
    if (!known.has(id)) throw unprocessable(`provider_pattern_settings[${index}].token_type`, `unknown token_type ${JSON.stringify(entry.token_type)}`);
    if (!SETTINGS.includes(entry.push_protection_setting as PatternSetting)) {
      throw unprocessable(`provider_pattern_settings[${index}].push_protection_setting`, `must be one of ${SETTINGS.join(", ")}`);
    }
    settings.set(id, entry.push_protection_setting as PatternSetting);
  }
  if (Array.isArray(input.custom_pattern_settings) && input.custom_pattern_settings.length > 0) {
    throw unprocessable("custom_pattern_settings", "custom patterns are configured in vigil.config.yaml, not through this endpoint");
  }
  const current = await pushProtection.getPatternConfig(scope);
  // Without a version the caller accepts the current one (last writer wins), as GitHub allows.
  const expected = version === undefined ? current.version : (version ?? INITIAL_VERSION);
  const next = await pushProtection.updatePatternConfig(scope, expected, settings);
  if (next === null) throw new ApiError(409, "Conflict: the pattern configuration changed since pattern_config_version was read; read it again and retry");
  return { pattern_config_version: next };
}

function settingOf(config: PatternConfig, id: string): PatternSetting {
  return config.settings.get(id) ?? "not-set";
}

function since(c: Context<ApiEnv>): { since?: string } {
  const value = c.req.query("since");
  if (value === undefined) return {};
  if (Number.isNaN(Date.parse(value))) throw new ApiError(422, "Invalid value for since: must be an ISO 8601 date-time");
  return { since: new Date(value).toISOString() };
}

function formatMetrics(metrics: PushMetrics, names: Map<number, string>): Record<string, unknown> {
  return {
    pushes_blocked: metrics.blocked,
    pushes_bypassed: metrics.bypassed,
    by_secret_type: metrics.byType.map((t) => ({ secret_type: t.secretType, blocked: t.blocked, bypassed: t.bypassed })),
    by_repository: metrics.byRepository.map((r) => ({ repository: names.get(r.repoId) ?? null, blocked: r.blocked, bypassed: r.bypassed })),
    by_reason: metrics.byReason.map((r) => ({ reason: r.reason, count: r.count })),
    by_day: metrics.byDay.map((d) => ({ day: d.day, blocked: d.blocked, bypassed: d.bypassed })),
  };
}

function unprocessable(field: string, message: string): ApiError {
  return new ApiError(422, `Invalid ${field}: ${message}`, [{ resource: "SecretScanningPatternConfiguration", field, code: "invalid", message }]);
}

function isoSeconds(value: string | null): string | null {
  return value === null ? null : new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
}

