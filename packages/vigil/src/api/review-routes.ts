import type { Context, Hono } from "hono";
import type { AlertStore } from "../alerts/alert-store.js";
import { StoreUnchangedError } from "../alerts/alert-store.js";
import type { ReviewKind, ReviewRequest, ReviewRequestStatus, ReviewResponse, ReviewStore } from "../alerts/review-store.js";
import type { AlertResolution, Organization, Repository, User } from "../alerts/types.js";
import type { PushProtectionStore } from "../push-protection/push-protection-store.js";
import type { ApiEnv, ApiUrls } from "./api-env.js";
import { ApiError, documentationUrl, notFound } from "./api-error.js";
import { readJsonBody, requireScopes } from "./authenticate.js";
import { offsetLinkHeader } from "./link-header.js";
import { resolveAlertRepository, resolveManagedOrganization } from "./repo-access.js";

const ALERT_SCOPES = ["repo", "security_events"] as const;
const MAX_MESSAGE = 2048;
const PERIODS: Record<string, number> = { hour: 3600e3, day: 86400e3, week: 7 * 86400e3, month: 30 * 86400e3 };
const BYPASS_REASON_JSON: Record<string, string> = {
  used_in_tests: "used_in_tests",
  false_positive: "false_positive",
  will_fix_later: "fix_later",
};
const DISMISSAL_REASON_JSON: Record<string, string> = {
  wont_fix: "fixed_later",
  false_positive: "false_positive",
  used_in_tests: "tests",
  revoked: "revoked",
};

/** Reviewers of bypass and dismissal requests: the organization's owners and security managers (and site administrators). */
export async function isReviewer(
  store: AlertStore,
  user: Pick<User, "id" | "siteAdmin">,
  orgId: number,
): Promise<boolean> {
  if (user.siteAdmin) return true;
  const role = await store.getOrgRole(user.id, orgId);
  return role === "owner" || role === "security_manager";
}

/** `secret_scanning_delegated_*_enabled` in a `PATCH /orgs/{org}` body (Vigil's fields); 422 when not booleans. Validated before anything is written. */
export function parseOrgReviewSettings(body: Record<string, unknown>): {
  bypassReview?: boolean;
  dismissalReview?: boolean;
} {
  const patch: { bypassReview?: boolean; dismissalReview?: boolean } = {};
  for (const [field, key] of [
    ["secret_scanning_delegated_bypass_enabled", "bypassReview"],
    ["secret_scanning_delegated_alert_dismissal_enabled", "dismissalReview"],
  ] as const) {
    if (!(field in body)) continue;
    if (typeof body[field] !== "boolean")
      throw new ApiError(422, `Invalid ${field}: must be true or false`, [
        { resource: "Organization", field, code: "invalid" },
      ]);
    patch[key] = body[field];
  }
  return patch;
}

/** Saves the parsed settings and returns the organization's fields for the response. */
export async function saveOrgReviewSettings(
  reviews: ReviewStore,
  orgId: number,
  patch: { bypassReview?: boolean; dismissalReview?: boolean },
): Promise<Record<string, boolean>> {
  const settings =
    Object.keys(patch).length > 0
      ? await reviews.setOrgReviewSettings(orgId, patch)
      : await reviews.getOrgReviewSettings(orgId);
  return {
    secret_scanning_delegated_bypass_enabled: settings.bypassReview,
    secret_scanning_delegated_alert_dismissal_enabled: settings.dismissalReview,
  };
}

/**
 * Delegated alert dismissal: GitHub's 403 for a close that became a dismissal request (the alert
 * stays open); `updateAlertAs` decides it.
 */
export async function dismissalRequestedResponse(
  c: Context<ApiEnv>,
  store: AlertStore,
  repo: Repository,
  org: Organization,
  outcome: { request: ReviewRequest; created: boolean },
): Promise<Response> {
  const { request, created } = outcome;
  const users = await usersOf(store, [request]);
  return c.json(
    {
      message: `Delegated alert dismissal is enabled and the authenticated user is not a valid reviewer: a dismissal request is ${created ? "now" : "already"} pending review (it expires at ${isoSeconds(request.expiresAt)})`,
      documentation_url: documentationUrl(403),
      status: "403",
      dismissal_request: formatRequest(request, { repo, org, urls: c.get("urls"), users }),
    },
    403,
  );
}

/**
 * A reviewer's decision on a bypass or dismissal request, for the REST API and the reviewer queue
 * page: 403 unless the user reviews for the organization, 422 when the request is no longer
 * pending. An approved bypass lets the pusher push the secret until the request would have expired;
 * an approved dismissal closes the alert as the requester asked, in their name.
 */
export async function reviewRequest(
  deps: { store: AlertStore; reviews: ReviewStore; pushProtection?: PushProtectionStore | undefined },
  user: User,
  repo: Repository,
  org: Organization,
  request: ReviewRequest,
  status: "approved" | "denied",
  message: string,
): Promise<{ request: ReviewRequest; response: ReviewResponse }> {
  const { store, reviews } = deps;
  const kind = request.kind;
  const resource = kind === "bypass" ? "BypassReview" : "DismissalReview";
  if (!(await isReviewer(store, user, org.id)))
    throw new ApiError(
      403,
      "The authenticated user is not a valid reviewer: reviewers are the organization's owners and security managers",
    );
  const done = await reviews.respond(request.id, user.id, status, message);
  if (!done)
    throw new ApiError(
      422,
      `The request is ${(await reviews.getRequest(kind, repo.id, request.number))?.status ?? "gone"}: only a pending request can be reviewed`,
      [{ resource, field: "status", code: "unprocessable" }],
    );
  if (kind === "bypass") {
    if (status === "approved" && done.request.placeholderId && deps.pushProtection) {
      await deps.pushProtection.allowPlaceholder(
        done.request.placeholderId,
        done.request.reason as never,
        Math.max(0, Date.parse(done.request.expiresAt) - Date.now()),
      );
    }
    return done;
  }
  const alert = await store.getAlert(repo.id, request.number);
  if (alert) {
    await reviews.recordAlertEvent(alert, status === "approved" ? "dismissal_approved" : "dismissal_denied", user.id, {
      request_number: request.number,
      message,
    });
    if (status === "approved" && alert.state === "open") {
      try {
        await store.updateAlert(
          repo.id,
          alert.number,
          { state: "resolved", resolution: request.reason as AlertResolution, resolutionComment: request.comment },
          request.requesterId,
        );
      } catch (error) {
        if (!(error instanceof StoreUnchangedError)) throw error;
      }
    }
  }
  return done;
}

/**
 * GitHub's delegated bypass and delegated alert dismissal routes: list, get and review requests for a
 * repository, an organization and the enterprise, and dismiss a review response.
 */
export function mountReviewRoutes(
  app: Hono<ApiEnv>,
  deps: {
    store: AlertStore;
    reviews: ReviewStore;
    pushProtection: PushProtectionStore | undefined;
    enterpriseSlug: string;
  },
): void {
  const { store, reviews } = deps;

  for (const [segment, kind] of [
    ["bypass-requests", "bypass"],
    ["dismissal-requests", "dismissal"],
  ] as const) {
    app.get(`/repos/:owner/:repo/${segment}/secret-scanning`, async (c) => {
      const { repo, org } = await repoWithScopes(c);
      return respondWithList(c, kind, new Map([[repo.id, { repo, org }]]));
    });

    app.get(`/orgs/:org/${segment}/secret-scanning`, async (c) => {
      const org = await resolveManagedOrganization(store, c.get("user"), c.req.param("org"));
      requireScopes(c, ALERT_SCOPES);
      const name = c.req.query("repository_name");
      const repos = (await store.listRepositories({ orgId: org.id })).filter(
        (r) => name === undefined || r.name === name,
      );
      return respondWithList(c, kind, new Map(repos.map((repo) => [repo.id, { repo, org }])));
    });

    app.get(`/enterprises/:enterprise/${segment}/secret-scanning`, async (c) => {
      if (c.req.param("enterprise") !== deps.enterpriseSlug) throw notFound();
      const user = c.get("user");
      const orgs = new Map((await store.listOrganizations()).map((o) => [o.id, o]));
      const visible = user.siteAdmin ? null : new Set(await store.listAlertViewableRepoIds(user.id));
      if (visible && visible.size === 0) throw notFound();
      requireScopes(c, ALERT_SCOPES);
      const orgName = c.req.query("organization_name");
      const byId = new Map<number, { repo: Repository; org: Organization }>();
      for (const repo of await store.listRepositories()) {
        const org = orgs.get(repo.orgId);
        if (!org || (visible && !visible.has(repo.id)) || (orgName !== undefined && org.login !== orgName)) continue;
        byId.set(repo.id, { repo, org });
      }
      return respondWithList(c, kind, byId);
    });

    app.get(`/repos/:owner/:repo/${segment}/secret-scanning/:number`, async (c) => {
      const { repo, org } = await repoWithScopes(c);
      const request = await requestOr404(kind, repo, c.req.param("number"));
      return c.json(formatRequest(request, { repo, org, urls: c.get("urls"), users: await usersOf(store, [request]) }));
    });

    app.patch(`/repos/:owner/:repo/${segment}/secret-scanning/:number`, async (c) => {
      const { repo, org } = await repoWithScopes(c);
      const request = await requestOr404(kind, repo, c.req.param("number"));
      const user = c.get("user");
      const body = await readJsonBody(c);
      const input = (typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}) as Record<
        string,
        unknown
      >;
      const verbs = kind === "bypass" ? ["approve", "reject"] : ["approve", "deny"];
      const resource = kind === "bypass" ? "BypassReview" : "DismissalReview";
      if (!verbs.includes(input.status as string)) {
        throw new ApiError(422, `Invalid status: must be one of ${verbs.join(", ")}`, [
          { resource, field: "status", code: input.status === undefined ? "missing_field" : "invalid" },
        ]);
      }
      if (typeof input.message !== "string" || input.message.trim() === "" || input.message.length > MAX_MESSAGE) {
        throw new ApiError(422, `Invalid message: a reviewer's message of 1 to ${MAX_MESSAGE} characters is required`, [
          { resource, field: "message", code: input.message === undefined ? "missing_field" : "invalid" },
        ]);
      }
      const done = await reviewRequest(deps, user, repo, org, request, input.status === "approve" ? "approved" : "denied", input.message);
      return c.json(kind === "bypass" ? { bypass_review_id: done.response.id } : { dismissal_review_id: done.response.id });
    });
  }

  app.delete("/repos/:owner/:repo/bypass-responses/secret-scanning/:id", async (c) => {
    const { repo, org } = await repoWithScopes(c);
    const raw = c.req.param("id");
    const response = /^[1-9][0-9]{0,14}$/.test(raw) ? await reviews.getResponse(Number(raw)) : null;
    if (!response || response.request.repoId !== repo.id || response.request.kind !== "bypass") throw notFound();
    if (!(await isReviewer(store, c.get("user"), org.id)))
      throw new ApiError(
        403,
        "The authenticated user is not a valid reviewer: reviewers are the organization's owners and security managers",
      );
    const wasApproval = response.status === "approved" && response.request.status === "approved";
    await reviews.dismissResponse(response.id);
    // An approval withdrawn before the push: the secret is blocked again.
    if (wasApproval && response.request.placeholderId && deps.pushProtection)
      await deps.pushProtection.allowPlaceholder(response.request.placeholderId, response.request.reason as never, 0);
    return c.body(null, 204);
  });

  async function repoWithScopes(c: Context<ApiEnv>): Promise<{ repo: Repository; org: Organization }> {
    const found = await resolveAlertRepository(
      store,
      c.get("user"),
      c.req.param("owner") ?? "",
      c.req.param("repo") ?? "",
    );
    requireScopes(c, ALERT_SCOPES);
    return found;
  }

  async function requestOr404(kind: ReviewKind, repo: Repository, raw: string | undefined): Promise<ReviewRequest> {
    if (raw === undefined || !/^[1-9][0-9]{0,14}$/.test(raw)) throw notFound();
    const request = await reviews.getRequest(kind, repo.id, Number(raw));
    if (!request) throw notFound();
    return request;
  }

  async function respondWithList(
    c: Context<ApiEnv>,
    kind: ReviewKind,
    repos: Map<number, { repo: Repository; org: Organization }>,
  ): Promise<Response> {
    const url = new URL(c.req.url);
    const q = url.searchParams;
    const perPage = intParam(q.get("per_page"), 1, 100, 30, "per_page");
    const page = intParam(q.get("page"), 1, Number.MAX_SAFE_INTEGER, 1, "page");
    const period = q.get("time_period") ?? "day";
    if (!(period in PERIODS)) throw invalidQuery("time_period", `must be one of ${Object.keys(PERIODS).join(", ")}`);
    const status = q.get("request_status") ?? "all";
    const allowed =
      kind === "bypass"
        ? ["completed", "cancelled", "approved", "expired", "deleted", "denied", "open", "all"]
        : ["completed", "cancelled", "approved", "expired", "denied", "open", "all"];
    if (!allowed.includes(status)) throw invalidQuery("request_status", `must be one of ${allowed.join(", ")}`);
    // `open` is a request waiting for review; `deleted` never happens in Vigil (a deleted repository takes its requests along).
    const statuses: ReviewRequestStatus[] | undefined =
      status === "all"
        ? undefined
        : status === "open"
          ? ["pending"]
          : status === "deleted"
            ? []
            : [status as ReviewRequestStatus];
    const filter = {
      kind,
      repoIds: [...repos.keys()],
      page,
      perPage,
      since: new Date(Date.now() - PERIODS[period]!).toISOString(),
      ...(statuses ? { statuses } : {}),
    };
    for (const [name, key] of [
      ["requester", "requesterId"],
      ["reviewer", "reviewerId"],
    ] as const) {
      const login = q.get(name);
      if (login === null) continue;
      const user = await store.getUserByLogin(login);
      if (!user) return c.json([]);
      Object.assign(filter, { [key]: user.id });
    }
    const { requests, total } = await reviews.listRequests(filter);
    const link = offsetLinkHeader(url, page, Math.max(1, Math.ceil(total / perPage)));
    if (link) c.header("Link", link);
    const users = await usersOf(store, requests);
    return c.json(
      requests.map((request) => formatRequest(request, { ...repos.get(request.repoId)!, urls: c.get("urls"), users })),
    );
  }
}

async function usersOf(store: AlertStore, requests: ReviewRequest[]): Promise<Map<number, User>> {
  const users = new Map<number, User>();
  for (const id of new Set(requests.flatMap((r) => [r.requesterId, ...r.responses.map((x) => x.reviewerId)]))) {
    const user = await store.getUserById(id);
    if (user) users.set(id, user);
  }
  return users;
}

/** GitHub's bypass request and dismissal request objects. */
export function formatRequest(
  request: ReviewRequest,
  ctx: { repo: Repository; org: Organization; urls: ApiUrls; users: Map<number, User> },
): Record<string, unknown> {
  const actor = (id: number): Record<string, unknown> => ({
    actor_id: id,
    actor_name: ctx.users.get(id)?.login ?? null,
  });
  const bypass = request.kind === "bypass";
  const api = `${ctx.urls.api}/repos/${ctx.repo.fullName}/${bypass ? "bypass" : "dismissal"}-requests/secret-scanning/${request.number}`;
  return {
    id: request.id,
    number: request.number,
    repository: { id: ctx.repo.id, name: ctx.repo.name, full_name: ctx.repo.fullName },
    organization: { id: ctx.org.id, name: ctx.org.login },
    requester: actor(request.requesterId),
    request_type: bypass ? "secret_scanning" : "secret_scanning_closure",
    data: bypass
      ? [
          {
            secret_type: request.secretType,
            bypass_reason: BYPASS_REASON_JSON[request.reason] ?? request.reason,
            ...(request.placeholder ?? {}),
          },
        ]
      : [
          {
            secret_type: request.secretType,
            alert_number: String(request.number),
            reason: DISMISSAL_REASON_JSON[request.reason] ?? request.reason,
          },
        ],
    resource_identifier: bypass ? (request.placeholder?.commit ?? null) : String(request.number),
    status: request.status,
    requester_comment: request.comment,
    expires_at: isoSeconds(request.expiresAt),
    created_at: isoSeconds(request.createdAt),
    responses: request.responses.map((r) => ({
      id: r.id,
      reviewer: actor(r.reviewerId),
      status: r.status,
      created_at: isoSeconds(r.createdAt),
    })),
    url: api,
    // Vigil's pages: the pusher's allow page for a bypass; the alert's page for a dismissal.
    html_url: bypass
      ? `${ctx.urls.web}/${ctx.repo.fullName}/security/secret-scanning/unblock-secret/${request.placeholderId}`
      : `${ctx.urls.web}/${ctx.repo.fullName}/security/secret-scanning/${request.number}`,
  };
}

function intParam(raw: string | null, min: number, max: number, fallback: number, name: string): number {
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw invalidQuery(name, `must be an integer of at least ${min}`);
  return Math.min(n, max);
}

function invalidQuery(field: string, message: string): ApiError {
  return new ApiError(422, `Invalid value for ${field}: ${message}`, [
    { resource: "Request", field, code: "invalid", message },
  ]);
}

function isoSeconds(value: string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
}
