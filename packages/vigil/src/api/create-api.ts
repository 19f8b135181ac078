import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { etag } from "hono/etag";
import { StoreInputError, StoreUnchangedError, type AlertPage, type AlertQuery, type AlertStore } from "../alerts/alert-store.js";
import { isValidRepositoryName, loginProblem } from "../alerts/names.js";
import type { Alert, Organization, Repository, User } from "../alerts/types.js";
import { formatAlert, formatLocation, formatScanHistory, formatSimpleRepository, formatSimpleUser } from "./alert-json.js";
import { parseAlertListQuery, parseHideSecret } from "./alert-list-query.js";
import type { ApiEnv, ApiUrls } from "./api-env.js";
import { ApiError, DOCS_URL, notFound } from "./api-error.js";
import { authenticate, hasNul, readJsonBody, readJsonObject, requireScopes } from "./authenticate.js";
import { cursorLinkHeader, offsetLinkHeader } from "./link-header.js";
import { mirrorSourceProblem } from "./mirror-source.js";
import { updateAlertAs } from "./update-alert.js";
import { mountPushProtectionRoutes } from "./push-protection-routes.js";
import { dismissalRequestedResponse, mountReviewRoutes, parseOrgReviewSettings, saveOrgReviewSettings } from "./review-routes.js";
import type { ReviewStore } from "../alerts/review-store.js";
import { mountLifecycleRoutes, type GitObjectReader } from "./lifecycle-routes.js";
import { webUrlTemplateProblem } from "./web-url-template.js";
import { mountPartnerRoutes } from "./partner-routes.js";
import { mountContentRoutes, type ContentRecorder } from "./content-routes.js";
import type { PartnerStore } from "../partners/partner-store.js";
import { mountWebhookRoutes } from "./webhook-routes.js";
import { mountCustomPatternRoutes } from "./custom-pattern-routes.js";
import type { CustomPatternStore } from "../custom-patterns/custom-pattern-store.js";
import type { CustomPatternJobs } from "../custom-patterns/custom-pattern-jobs.js";
import { mountValidityRoutes, parseOrgValiditySetting, saveOrgValiditySetting, type ValidityApi } from "./validity-routes.js";
import type { ValidityStore } from "../validity/validity-store.js";
import { mountCampaignRoutes, type CampaignRoutesOptions } from "./campaign-routes.js";
import { mountJobRoutes } from "./job-routes.js";
import type { JobQueue } from "../jobs/job-queue.js";
import type { WebhookStore } from "../webhooks/webhook-store.js";
import type { PushProtectionStore } from "../push-protection/push-protection-store.js";
import { alertRepositoriesOf, canManageAlerts, resolveAlertRepository, resolveManagedOrganization } from "./repo-access.js";

export interface ApiLogger {
  error(fields: Record<string, unknown>, message: string): void;
}

export interface ApiOptions {
  store: AlertStore;
  /** Public origin (`https://vigil.example`); by default the request's own origin. */
  publicUrl?: string;
  /** The instance is one enterprise; its slug in `/enterprises/{enterprise}/...`. */
  enterpriseSlug?: string;
  /** Registers a repository for mirroring and scanning (the server supplies it; absent: 404). */
  registerRepository?: (input: { owner: string; name: string; sourceUrl: string | null; isPublic?: boolean }) => Promise<Repository>;
  /** Removes a repository with everything recorded for it and its git directory (absent: only the store's records). */
  removeRepository?: (repo: Repository) => Promise<void>;
  /** Reads git objects of a repository's mirror (`commit_url`, `blob_url`); absent: those routes 404. */
  readGitObject?: GitObjectReader;
  /** Push protection's store: bypasses, pattern configurations, metrics (absent: those routes 404). */
  pushProtection?: PushProtectionStore;
  /** Delegated bypass and alert dismissal (absent: no review is ever required and those routes 404). */
  reviews?: ReviewStore;
  /** Accept `http://` mirror sources in `POST /orgs/{org}/repos` (`vigil serve --allow-http-mirrors`); https and ssh always. */
  allowHttpMirrors?: boolean;
  /** Request body limit (default MAX_JSON_BODY_BYTES). */
  maxBodyBytes?: number;
  /** Partners Vigil reports leaked tokens to, and its signing keys (absent: those routes 404). */
  partners?: PartnerStore;
  /** Scans and records submitted text (the server supplies it; absent: the content route 404s). */
  recordContent?: ContentRecorder;
  log?: ApiLogger;
  /** Hooks and their delivery log (absent: the hook routes 404); `onDeliveryQueued` wakes the dispatcher. */
  webhooks?: WebhookStore;
  onDeliveryQueued?: () => void;
  /** Users' custom patterns and the scans they cause (absent: those routes 404). */
  customPatterns?: { store: CustomPatternStore; jobs: CustomPatternJobs };
  /** Validity checks: the organization setting and on-demand checks (absent: the routes 404, the setting is ignored). */
  validity?: ValidityApi;
  /** Remediation campaigns, playbooks, outreach and auto-remediation (absent: those routes 404). */
  campaigns?: Omit<CampaignRoutesOptions, "store">;
  /** Background jobs and dead letters for site administrators (absent: those routes 404). */
  jobs?: JobQueue;
}

const ALERT_SCOPES = ["repo", "security_events"] as const;

/** The largest request body the API reads (1 MiB); a larger one is 413 before authentication or parsing. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** GitHub's 413 body. */
export function payloadTooLarge(limit: number): Record<string, unknown> {
  return { message: `Payload too large: the request body exceeds ${limit} bytes`, documentation_url: DOCS_URL, status: "413" };
}

/** GitHub's secret-scanning REST API, mounted by the server under `/api/v3`. */
export function createApi(options: ApiOptions): Hono<ApiEnv> {
  const { store } = options;
  const enterpriseSlug = options.enterpriseSlug ?? "vigil";
  const app = new Hono<ApiEnv>();

  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.toJSON(), error.status);
    if (error instanceof StoreInputError) return c.json(new ApiError(422, error.message).toJSON(), 422);
    if (error instanceof StoreUnchangedError) return c.json(new ApiError(400, error.message).toJSON(), 400);
    const requestId = crypto.randomUUID();
    options.log?.error({ requestId, err: error instanceof Error ? error.message : String(error), path: c.req.path }, "unhandled API error");
    c.header("X-Vigil-Request-Id", requestId);
    return c.json({ message: "Server Error" }, 500);
  });
  app.notFound(() => {
    throw notFound();
  });

  app.use("*", async (c, next) => {
    c.set("urls", apiUrls(c.req.url, options.publicUrl));
    c.header("X-GitHub-Media-Type", "github.v3; format=json");
    await next();
  });
  // Bodies are limited before anything reads them (GitHub answers 413): a JSON call never needs more.
  app.use("*", bodyLimit({ maxSize: options.maxBodyBytes ?? MAX_JSON_BODY_BYTES, onError: (c) => c.json(payloadTooLarge(options.maxBodyBytes ?? MAX_JSON_BODY_BYTES), 413) }));
  app.use("*", authenticate(store));
  // A NUL character names nothing and is refused by PostgreSQL's text: 404 in the path, 422 in a query value.
  app.use("*", async (c, next) => {
    const url = new URL(c.req.url);
    if (hasNul(url.pathname)) throw notFound();
    for (const [name, value] of url.searchParams) {
      if (name.includes("\0") || value.includes("\0")) {
        const field = name.replace(/\0/g, "\\0").slice(0, 64);
        throw new ApiError(422, `Invalid value for ${field}: must not contain a NUL character`, [{ resource: "Request", field, code: "invalid" }]);
      }
    }
    await next();
  });
  // Conditional requests (304) for one alert, as GitHub documents for get-alert; lists are not
  // hashed on every request.
  app.use("/repos/:owner/:repo/secret-scanning/alerts/:number", etag());

  app.get("/user", (c) => c.json(formatSimpleUser(c.get("user"), c.get("urls"))));

  // --- repository alerts ------------------------------------------------------------------
  app.get("/repos/:owner/:repo/secret-scanning/alerts", async (c) => {
    const { repo, org } = await repoWithScopes(c);
    const parsed = await withAssignee(parseAlertListQuery(new URL(c.req.url).searchParams));
    const page = await listOrEmpty([repo.id], parsed.query);
    return respondWithAlerts(c, page, parsed, new Map([[repo.id, { repo, org }]]), false);
  });

  app.get("/repos/:owner/:repo/secret-scanning/alerts/:number", async (c) => {
    const { repo, org } = await repoWithScopes(c);
    const alert = await alertOr404(repo, c.req.param("number"));
    const hideSecret = parseHideSecret(new URL(c.req.url).searchParams);
    const users = await usersOf([alert]);
    return c.json(formatAlert(alert, { repo, org, urls: c.get("urls"), users, hideSecret, withRepository: false, withMetadata: true }));
  });

  app.patch("/repos/:owner/:repo/secret-scanning/alerts/:number", async (c) => {
    const { repo, org } = await repoWithScopes(c);
    const alert = await alertOr404(repo, c.req.param("number"));
    const body: unknown = await readJsonBody(c);
    const outcome = await updateAlertAs({ store, reviews: options.reviews }, c.get("user"), repo, org, alert, body);
    if (outcome.kind === "dismissal_requested") return dismissalRequestedResponse(c, store, repo, org, outcome);
    const updated = outcome.alert;
    const users = await usersOf([updated]);
    return c.json(formatAlert(updated, { repo, org, urls: c.get("urls"), users, hideSecret: false, withRepository: false, withMetadata: true }));
  });

  app.get("/repos/:owner/:repo/secret-scanning/alerts/:number/locations", async (c) => {
    const { repo } = await repoWithScopes(c);
    const alert = await alertOr404(repo, c.req.param("number"));
    const url = new URL(c.req.url);
    const perPage = clampInt(url.searchParams.get("per_page"), 1, 100, 30, "per_page");
    const page = clampInt(url.searchParams.get("page"), 1, Number.MAX_SAFE_INTEGER, 1, "page");
    const locations = await store.listLocations(alert.id, { page, perPage });
    const link = offsetLinkHeader(url, page, Math.max(1, Math.ceil(alert.locationCount / perPage)));
    if (link) c.header("Link", link);
    return c.json(locations.map((location) => formatLocation(location, repo, c.get("urls"))));
  });

  app.get("/repos/:owner/:repo/secret-scanning/scan-history", async (c) => {
    const { repo } = await repoWithScopes(c);
    const scans = await store.listScans(repo.id, 100);
    const history = formatScanHistory(scans);
    // GitHub names the pattern a custom-pattern backfill ran, and its level.
    if (options.customPatterns) {
      const backfills = scans.filter((s) => s.kind === "custom_pattern_backfill");
      const patterns = await options.customPatterns.store.scanPatterns(backfills.map((s) => s.id));
      (history.custom_pattern_backfill_scans as Record<string, unknown>[]).forEach((entry, i) => {
        const pattern = patterns.get(backfills[i]!.id);
        Object.assign(entry, { pattern_name: pattern?.name ?? null, pattern_scope: pattern?.scope ?? null });
      });
    }
    return c.json(history);
  });

  // --- organization and enterprise alerts ------------------------------------------------
  app.get("/orgs/:org/secret-scanning/alerts", async (c) => {
    const user = c.get("user");
    const org = await resolveManagedOrganization(store, user, c.req.param("org"));
    requireScopes(c, ALERT_SCOPES);
    const parsed = await withAssignee(parseAlertListQuery(new URL(c.req.url).searchParams));
    const repos = await alertRepositoriesOf(store, org);
    const byId = new Map(repos.map((repo) => [repo.id, { repo, org }]));
    const page = await listOrEmpty([...byId.keys()], parsed.query);
    return respondWithAlerts(c, page, parsed, byId, true);
  });

  app.get("/enterprises/:enterprise/secret-scanning/alerts", async (c) => {
    if (c.req.param("enterprise") !== enterpriseSlug) throw notFound();
    const user = c.get("user");
    const parsed = await withAssignee(parseAlertListQuery(new URL(c.req.url).searchParams, false));
    const orgs = new Map((await store.listOrganizations()).map((org) => [org.id, org]));
    const visible = user.siteAdmin ? null : new Set(await store.listAlertViewableRepoIds(user.id));
    const byId = new Map<number, { repo: Repository; org: Organization }>();
    for (const repo of await store.listRepositories()) {
      const org = orgs.get(repo.orgId);
      if (!org || !org.secretScanningEnabled || !repo.secretScanningEnabled) continue;
      if (visible && !visible.has(repo.id)) continue;
      byId.set(repo.id, { repo, org });
    }
    if (!user.siteAdmin && byId.size === 0) throw notFound();
    requireScopes(c, ALERT_SCOPES);
    const page = await listOrEmpty([...byId.keys()], parsed.query);
    return respondWithAlerts(c, page, parsed, byId, true);
  });

  // --- repositories (Vigil's extension: registering one to mirror and scan) --------------
  app.post("/orgs/:org/repos", async (c) => {
    const user = c.get("user");
    const owner = c.req.param("org");
    const existing = await store.getOrganization(owner);
    const role = existing ? await store.getOrgRole(user.id, existing.id) : null;
    if (!user.siteAdmin && role !== "owner") throw notFound();
    requireScopes(c, ["repo"]);
    if (!options.registerRepository) throw notFound();
    // A site administrator creates the organization with its first repository: its login becomes a path.
    const ownerProblem = loginProblem(owner);
    if (ownerProblem) {
      throw new ApiError(422, `Repository creation failed: the organization login is invalid: ${ownerProblem}`, [{ resource: "Organization", field: "login", code: "invalid" }]);
    }
    const body = await readJsonObject(c);
    const name = body.name;
    const sourceUrl = body.source_url ?? null;
    if (typeof name !== "string" || !isValidRepositoryName(name)) {
      throw new ApiError(422, "Repository creation failed: name is invalid", [{ resource: "Repository", field: "name", code: "invalid" }]);
    }
    if (sourceUrl !== null && typeof sourceUrl !== "string") {
      throw new ApiError(422, "Repository creation failed: source_url must be a string", [{ resource: "Repository", field: "source_url", code: "invalid" }]);
    }
    const sourceProblem = sourceUrl === null ? null : mirrorSourceProblem(sourceUrl, { allowHttp: options.allowHttpMirrors === true });
    if (sourceProblem) {
      throw new ApiError(422, `Repository creation failed: source_url ${sourceProblem}`, [{ resource: "Repository", field: "source_url", code: "invalid", message: `source_url ${sourceProblem}` }]);
    }
    if (await store.getRepository(owner, name)) {
      throw new ApiError(422, "Repository creation failed: name already exists on this account", [{ resource: "Repository", field: "name", code: "custom", message: "name already exists on this account" }]);
    }
    const isPublic = body.visibility === "public" || body.private === false;
    const repo = await options.registerRepository({ owner, name, sourceUrl, isPublic });
    const org = (await store.getOrganizationById(repo.orgId))!;
    return c.json(formatSimpleRepository(repo, org, c.get("urls")), 201);
  });

  app.get("/repos/:owner/:repo", async (c) => {
    const repo = await store.getRepository(c.req.param("owner"), c.req.param("repo"));
    if (!repo) throw notFound();
    const user = c.get("user");
    const roles = await store.getRoles(user.id, repo.id);
    if (!user.siteAdmin && !roles.orgRole && !roles.repoRole) throw notFound();
    const org = (await store.getOrganizationById(repo.orgId))!;
    const json = formatSimpleRepository(repo, org, c.get("urls"));
    // GitHub shows security_and_analysis to those who administer the repository.
    if (canManageAlerts(user, roles)) Object.assign(json, { security_and_analysis: securityAndAnalysis(repo, await validityEnabled(repo.orgId)), ...vigilRepositoryFields(repo) });
    return c.json(json);
  });

  // GitHub's repository settings surface for secret scanning: `security_and_analysis`.
  app.patch("/repos/:owner/:repo", async (c) => {
    const repo = await store.getRepository(c.req.param("owner"), c.req.param("repo"));
    if (!repo) throw notFound();
    const user = c.get("user");
    const roles = await store.getRoles(user.id, repo.id);
    if (!canManageAlerts(user, roles)) throw notFound();
    requireScopes(c, ["repo"]);
    const updated = await applyRepositorySettings(store, repo, await readJsonObject(c));
    const org = (await store.getOrganizationById(updated.orgId))!;
    return c.json({ ...formatSimpleRepository(updated, org, c.get("urls")), security_and_analysis: securityAndAnalysis(updated, await validityEnabled(updated.orgId)), ...vigilRepositoryFields(updated) });
  });

  // The organization's push-protection custom link, shown to every blocked contributor.
  app.patch("/orgs/:org", async (c) => {
    const user = c.get("user");
    const org = await store.getOrganization(c.req.param("org"));
    if (!org) throw notFound();
    const role = await store.getOrgRole(user.id, org.id);
    if (!user.siteAdmin && role !== "owner") throw notFound();
    requireScopes(c, ["admin:org", "write:org"]);
    const { updated, reviewFields, validityFields } = await applyOrganizationSettings(store, options.reviews, org, await readJsonObject(c), options.validity?.store);
    return c.json({
      login: updated.login,
      id: updated.id,
      url: `${c.get("urls").api}/orgs/${updated.login}`,
      secret_scanning_push_protection_custom_link_enabled: updated.pushProtectionCustomLink !== null,
      secret_scanning_push_protection_custom_link: updated.pushProtectionCustomLink,
      secret_scanning_push_protection_enabled_for_new_repositories: updated.pushProtectionEnabled,
      secret_scanning_enabled: updated.secretScanningEnabled,
      ...reviewFields,
      ...validityFields,
    });
  });

  if (options.jobs) mountJobRoutes(app, options.jobs);
  if (options.pushProtection) mountPushProtectionRoutes(app, store, options.pushProtection, enterpriseSlug, options.reviews);
  if (options.reviews) mountReviewRoutes(app, { store, reviews: options.reviews, pushProtection: options.pushProtection, enterpriseSlug });
  mountLifecycleRoutes(app, { store, removeRepository: options.removeRepository ?? ((repo) => store.deleteRepository(repo.id)), ...(options.readGitObject ? { readGitObject: options.readGitObject } : {}) });
  if (options.partners) mountPartnerRoutes(app, options.partners);
  if (options.recordContent) mountContentRoutes(app, store, options.recordContent);
  if (options.customPatterns) mountCustomPatternRoutes(app, { store, customPatterns: options.customPatterns.store, jobs: options.customPatterns.jobs, enterpriseSlug });
  if (options.validity) mountValidityRoutes(app, store, options.validity);
  if (options.campaigns) mountCampaignRoutes(app, { store, ...options.campaigns });
  if (options.webhooks) mountWebhookRoutes(app, { store, webhooks: options.webhooks, enterpriseSlug, ...(options.onDeliveryQueued ? { onDeliveryQueued: options.onDeliveryQueued } : {}) });

  // --- helpers ------------------------------------------------------------------------------
  async function validityEnabled(orgId: number): Promise<boolean> {
    return options.validity ? options.validity.store.isEnabled(orgId) : false;
  }

  async function repoWithScopes(c: Context<ApiEnv>): Promise<{ repo: Repository; org: Organization }> {
    const found = await resolveAlertRepository(store, c.get("user"), c.req.param("owner") ?? "", c.req.param("repo") ?? "");
    requireScopes(c, ALERT_SCOPES);
    return found;
  }

  async function alertOr404(repo: Repository, raw: string | undefined): Promise<Alert> {
    // Only the canonical decimal form names an alert, as on GitHub: 0x1, 1e0, 01, " 1", +1 and 1.0 are 404.
    if (raw === undefined || !/^[1-9][0-9]{0,14}$/.test(raw)) throw notFound();
    const number = Number(raw);
    const alert = await store.getAlert(repo.id, number);
    if (!alert) throw notFound();
    return alert;
  }

  async function usersOf(alerts: Alert[]): Promise<Map<number, User>> {
    const ids = new Set<number>();
    for (const a of alerts) for (const id of [a.resolvedBy, a.assigneeId, a.pushProtectionBypassedBy]) if (id !== null) ids.add(id);
    const users = new Map<number, User>();
    for (const id of ids) {
      const user = await store.getUserById(id);
      if (user) users.set(id, user);
    }
    return users;
  }

  /** `assignee=<login>` filters by that user; an unknown login matches no alert. */
  async function withAssignee(parsed: ReturnType<typeof parseAlertListQuery>): Promise<ReturnType<typeof parseAlertListQuery>> {
    if (!parsed.assigneeLogin) return parsed;
    const user = await store.getUserByLogin(parsed.assigneeLogin);
    // No user has id 0: an unknown login matches no alert.
    return { ...parsed, query: { ...parsed.query, assignee: user ? user.id : 0 } };
  }

  async function listOrEmpty(repoIds: number[], query: Omit<AlertQuery, "repoIds">): Promise<AlertPage> {
    if (repoIds.length === 0) return { alerts: [], hasNext: false, hasPrevious: false, lastPage: 1 };
    return store.listAlerts({ ...query, repoIds });
  }

  async function respondWithAlerts(
    c: Context<ApiEnv>,
    page: AlertPage,
    parsed: ReturnType<typeof parseAlertListQuery>,
    repos: Map<number, { repo: Repository; org: Organization }>,
    withRepository: boolean,
  ): Promise<Response> {
    const url = new URL(c.req.url);
    const link = parsed.cursorMode
      ? cursorLinkHeader(url, page.hasPrevious ? page.startCursor : undefined, page.hasNext ? page.endCursor : undefined)
      : offsetLinkHeader(url, parsed.query.page ?? 1, page.lastPage, page.hasNext);
    if (link) c.header("Link", link);
    const users = await usersOf(page.alerts);
    const body = page.alerts.flatMap((alert) => {
      const where = repos.get(alert.repoId);
      if (!where) return [];
      return [formatAlert(alert, { ...where, urls: c.get("urls"), users, hideSecret: parsed.hideSecret, withRepository, withMetadata: false })];
    });
    return c.json(body);
  }

  return app;
}

/** `PATCH /repos/{owner}/{repo}`'s settings (`security_and_analysis`, visibility, `web_url_template`), for the API and the settings page; 422 names a bad field, nothing is written. */
export async function applyRepositorySettings(store: AlertStore, repo: Repository, body: Record<string, unknown>): Promise<Repository> {
  const section = (body.security_and_analysis ?? {}) as Record<string, { status?: unknown } | undefined>;
  const patch: { secretScanningEnabled?: boolean; pushProtectionEnabled?: boolean; webUrlTemplate?: string | null; isPublic?: boolean } = {};
  const status = (key: string): boolean | undefined => {
    const value = section[key]?.status;
    if (value === undefined) return undefined;
    if (value !== "enabled" && value !== "disabled") {
      throw new ApiError(422, `Invalid security_and_analysis.${key}.status: must be enabled or disabled`, [{ resource: "Repository", field: `security_and_analysis.${key}`, code: "invalid" }]);
    }
    return value === "enabled";
  };
  const scanning = status("secret_scanning");
  const push = status("secret_scanning_push_protection");
  if (scanning !== undefined) patch.secretScanningEnabled = scanning;
  if (push !== undefined) patch.pushProtectionEnabled = push;
  if ("web_url_template" in body) patch.webUrlTemplate = parseWebUrlTemplate(body.web_url_template);
  // GitHub's visibility fields: a public repository's alerts are publicly leaked and reported to partners.
  if (body.private !== undefined && typeof body.private !== "boolean") {
    throw new ApiError(422, "Invalid private: must be a boolean", [{ resource: "Repository", field: "private", code: "invalid" }]);
  }
  if (body.visibility !== undefined && body.visibility !== "public" && body.visibility !== "private") {
    throw new ApiError(422, "Invalid visibility: must be public or private", [{ resource: "Repository", field: "visibility", code: "invalid" }]);
  }
  if (typeof body.private === "boolean") patch.isPublic = !body.private;
  if (body.visibility !== undefined) patch.isPublic = body.visibility === "public";
  return Object.keys(patch).length > 0 ? store.updateRepository(repo.id, patch) : repo;
}

/** `PATCH /orgs/{org}`'s secret-scanning settings and delegated review, for the API and the settings page; validated before anything is written. */
export async function applyOrganizationSettings(
  store: AlertStore,
  reviews: ReviewStore | undefined,
  org: Organization,
  body: Record<string, unknown>,
  validity?: ValidityStore,
): Promise<{ updated: Organization; reviewFields: Record<string, boolean>; validityFields: Record<string, boolean> }> {
  const patch: { pushProtectionCustomLink?: string | null; pushProtectionEnabled?: boolean; secretScanningEnabled?: boolean } = {};
  // Vigil's switch for the whole organization (GitHub sets it per repository, or by security configuration).
  if (typeof body.secret_scanning_enabled === "boolean") patch.secretScanningEnabled = body.secret_scanning_enabled;
  if ("secret_scanning_push_protection_custom_link" in body) {
    const link = body.secret_scanning_push_protection_custom_link;
    if (link !== null && (typeof link !== "string" || !/^https?:\/\/\S+$/.test(link))) {
      throw new ApiError(422, "Invalid secret_scanning_push_protection_custom_link: must be an http(s) URL or null", [{ resource: "Organization", field: "secret_scanning_push_protection_custom_link", code: "invalid" }]);
    }
    patch.pushProtectionCustomLink = link;
  }
  if (body.secret_scanning_push_protection_custom_link_enabled === false) patch.pushProtectionCustomLink = null;
  if (typeof body.secret_scanning_push_protection_enabled_for_new_repositories === "boolean") {
    patch.pushProtectionEnabled = body.secret_scanning_push_protection_enabled_for_new_repositories;
  }
  const reviewPatch = parseOrgReviewSettings(body);
  const validityPatch = validity ? parseOrgValiditySetting(body) : undefined;
  const updated = Object.keys(patch).length > 0 ? await store.updateOrganization(org.id, patch) : org;
  const reviewFields = reviews ? await saveOrgReviewSettings(reviews, org.id, reviewPatch) : {};
  const validityFields = validity ? await saveOrgValiditySetting(validity, org.id, validityPatch) : {};
  return { updated, reviewFields, validityFields };
}

function securityAndAnalysis(repo: Repository, validityChecks: boolean): Record<string, { status: "enabled" | "disabled" }> {
  const status = (on: boolean) => ({ status: on ? ("enabled" as const) : ("disabled" as const) });
  return {
    secret_scanning: status(repo.secretScanningEnabled),
    secret_scanning_push_protection: status(repo.pushProtectionEnabled),
    secret_scanning_non_provider_patterns: status(true),
    // Set for the whole organization (GitHub's `secret_scanning_validity_checks_enabled`).
    secret_scanning_validity_checks: status(validityChecks),
  };
}

/** Vigil's `web_url_template` field: an http(s) URL with known placeholders, or null to remove it. */
function parseWebUrlTemplate(value: unknown): string | null {
  if (value === null) return null;
  const problem = typeof value === "string" ? webUrlTemplateProblem(value) : "must be a string or null";
  if (problem) throw new ApiError(422, `Invalid web_url_template: ${problem}`, [{ resource: "Repository", field: "web_url_template", code: "invalid" }]);
  return value as string;
}

/** Vigil's fields on the repository object for its administrators: the web link template, and why the mirror last failed. */
function vigilRepositoryFields(repo: Repository): Record<string, unknown> {
  const failedAt = repo.mirrorFailedAt === null ? null : new Date(repo.mirrorFailedAt).toISOString().replace(/\.\d{3}Z$/, "Z");
  return { web_url_template: repo.webUrlTemplate, mirror_error: repo.mirrorError, mirror_failed_at: failedAt };
}

function apiUrls(requestUrl: string, publicUrl: string | undefined): ApiUrls {
  const origin = (publicUrl ?? new URL(requestUrl).origin).replace(/\/+$/, "");
  return { web: origin, api: `${origin}/api/v3` };
}

function clampInt(raw: string | null, min: number, max: number, fallback: number, name: string): number {
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ApiError(422, `Invalid value for ${name}: must be an integer of at least ${min}`);
  return Math.min(n, max);
}
