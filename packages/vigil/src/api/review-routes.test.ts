import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiFixture, type ApiFixture } from "../test-support/api-fixture.js";
import { createApi } from "./create-api.js";

let fx: ApiFixture;
let api: ReturnType<typeof createApi>;
let managerReadOrg: string;
const BASE = "http://vigil.test";
const random = new ExampleRandom(0x14b);

beforeAll(async () => {
  fx = await createApiFixture({ alerts: 5 });
  api = createApi({ store: fx.store, pushProtection: fx.pushProtection, reviews: fx.reviews });
  await fx.store.updateRepository(fx.repo.id, { pushProtectionEnabled: true });
  managerReadOrg = (await fx.store.createToken({ userId: fx.users.securityManager.id, scopes: ["read:org"] })).token;
});
afterAll(async () => fx.close());

/** A JSON answer (an object or an array of them), read loosely: the assertions check its shape. */
interface Reply {
  [key: string]: unknown;
  id: number;
  number: number;
  status: string;
  state: string;
  message: string;
  url: string;
  expires_at: string;
  created_at: string;
  bypass_review_id: number;
  errors: { field: string; code: string }[];
  dismissal_request: Reply;
  length: number;
  map<T>(f: (r: Reply) => T): T[];
  every(f: (r: Reply) => boolean): boolean;
}

async function call(
  path: string,
  token: string | null,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: Reply }> {
  const headers: Record<string, string> = { accept: "application/vnd.github+json" };
  if (token) headers.authorization = `token ${token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await api.request(`${BASE}${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function blockedSecret(pusherId: number): Promise<{ placeholderId: string; secret: string }> {
  const secret = random.githubToken("ghp");
  const p = await fx.pushProtection.createPlaceholder({
    repoId: fx.repo.id,
    pusherId,
    secretType: "github_personal_access_token",
    secretTypeDisplayName: "GitHub Personal Access Token",
    secret,
    commitSha: "c".repeat(40),
    path: "tests/README.md",
    line: 16,
    ref: "refs/heads/main",
  });
  return { placeholderId: p.placeholderId, secret };
}

const bypassList = "/repos/acme/api/bypass-requests/secret-scanning";
const dismissalList = "/repos/acme/api/dismissal-requests/secret-scanning";

describe("access to the delegated review routes", () => {
  const routes: [string, string, unknown?][] = [
    ["GET", bypassList],
    ["GET", `${bypassList}/1`],
    ["PATCH", `${bypassList}/1`, { status: "approve", message: "ok" }],
    ["DELETE", "/repos/acme/api/bypass-responses/secret-scanning/1"],
    ["GET", dismissalList],
    ["GET", `${dismissalList}/1`],
    ["PATCH", `${dismissalList}/1`, { status: "approve", message: "ok" }],
  ];
  it.each(routes)(
    "%s %s: 401 anonymous, 404 to a reader of the repository, 403 without the scope",
    async (method, path, body) => {
      expect((await call(path, null, { method, body })).status).toBe(401);
      expect((await call(path, fx.tokens.reader, { method, body })).status).toBe(404);
      const scopeless = await call(path, fx.tokens.scopeless, { method, body });
      expect(scopeless.status).toBe(403);
      expect(scopeless.body.message).toMatch(/scopes repo, security_events/);
    },
  );
  it.each(["/orgs/acme/bypass-requests/secret-scanning", "/orgs/acme/dismissal-requests/secret-scanning"])(
    "%s: 401, 404 to a repository admin, 403 without the scope",
    async (path) => {
      expect((await call(path, null)).status).toBe(401);
      expect((await call(path, fx.tokens.repoAdmin)).status).toBe(404);
      expect((await call(path, managerReadOrg)).status).toBe(403);
      expect((await call(path, fx.tokens.securityManager)).status).toBe(200);
    },
  );
  it.each([
    "/enterprises/vigil/bypass-requests/secret-scanning",
    "/enterprises/vigil/dismissal-requests/secret-scanning",
  ])("%s: 401, 404 to a reader and to another enterprise", async (path) => {
    expect((await call(path, null)).status).toBe(401);
    expect((await call(path, fx.tokens.reader)).status).toBe(404);
    expect((await call(path.replace("vigil", "other"), fx.tokens.admin)).status).toBe(404);
    expect((await call(path, fx.tokens.admin)).status).toBe(200);
  });
});

describe("organization settings", () => {
  it("are off by default, set by PATCH /orgs/{org} with booleans only, and returned", async () => {
    const unchanged = await call("/orgs/acme", fx.tokens.admin, { method: "PATCH", body: {} });
    expect(unchanged.body).toMatchObject({
      secret_scanning_delegated_bypass_enabled: false,
      secret_scanning_delegated_alert_dismissal_enabled: false,
    });
    const bad = await call("/orgs/acme", fx.tokens.admin, {
      method: "PATCH",
      body: {
        secret_scanning_delegated_bypass_enabled: "yes",
        secret_scanning_push_protection_custom_link: "https://example.com/help",
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ field: "secret_scanning_delegated_bypass_enabled", code: "invalid" });
    // Nothing of a refused body is written.
    expect((await fx.store.getOrganization("acme"))?.pushProtectionCustomLink).toBeNull();
    expect(await fx.reviews.getOrgReviewSettings(fx.repo.orgId)).toEqual({
      bypassReview: false,
      dismissalReview: false,
    });
  });
});

describe("delegated bypass", () => {
  beforeAll(async () => {
    const res = await call("/orgs/acme", fx.tokens.admin, {
      method: "PATCH",
      body: { secret_scanning_delegated_bypass_enabled: true },
    });
    expect(res.body.secret_scanning_delegated_bypass_enabled).toBe(true);
  });

  it("turns a pusher's bypass into a request; a reviewer's approval allows the secret, a dismissed approval withdraws it", async () => {
    const { placeholderId, secret } = await blockedSecret(fx.users.writer.id);
    const bypassPath = "/repos/acme/api/secret-scanning/push-protection-bypasses";
    const badComment = await call(bypassPath, fx.tokens.writer, {
      method: "POST",
      body: { reason: "used_in_tests", placeholder_id: placeholderId, comment: 5 },
    });
    expect(badComment.status).toBe(422);
    const requested = await call(bypassPath, fx.tokens.writer, {
      method: "POST",
      body: { reason: "will_fix_later", placeholder_id: placeholderId, comment: "rotating tonight" },
    });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({
      number: expect.any(Number),
      repository: { id: fx.repo.id, name: "api", full_name: "acme/api" },
      organization: { id: fx.repo.orgId, name: "acme" },
      requester: { actor_id: fx.users.writer.id, actor_name: "dave" },
      request_type: "secret_scanning",
      data: [
        {
          secret_type: "github_personal_access_token",
          bypass_reason: "fix_later",
          path: "/tests/README.md:16:0",
          branch: "refs/heads/main",
        },
      ],
      resource_identifier: "c".repeat(40),
      status: "pending",
      requester_comment: "rotating tonight",
      responses: [],
    });
    const n = requested.body.number;
    expect(requested.body.url).toBe(`${BASE}/api/v3/repos/acme/api/bypass-requests/secret-scanning/${n}`);
    expect(Date.parse(requested.body.expires_at) - Date.parse(requested.body.created_at)).toBe(7 * 86400e3);
    // Not allowed yet.
    expect(
      await fx.pushProtection.findAllowance(fx.repo.id, fx.users.writer.id, "github_personal_access_token", secret),
    ).toBeNull();

    const path = `${bypassList}/${n}`;
    expect(
      (await call(path, fx.tokens.repoAdmin, { method: "PATCH", body: { status: "approve", message: "fine" } })).status,
    ).toBe(403);
    for (const body of [
      { status: "approved", message: "x" },
      { status: "approve" },
      { status: "approve", message: "" },
      { status: "approve", message: "x".repeat(2049) },
    ]) {
      const res = await call(path, fx.tokens.securityManager, { method: "PATCH", body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(422);
    }
    expect(
      (
        await call(`${bypassList}/999`, fx.tokens.securityManager, {
          method: "PATCH",
          body: { status: "approve", message: "x" },
        })
      ).status,
    ).toBe(404);
    const approved = await call(path, fx.tokens.securityManager, {
      method: "PATCH",
      body: { status: "approve", message: "test fixture" },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ bypass_review_id: expect.any(Number) });
    expect(
      (await fx.pushProtection.findAllowance(fx.repo.id, fx.users.writer.id, "github_personal_access_token", secret))
        ?.reason,
    ).toBe("will_fix_later");
    const twice = await call(path, fx.tokens.securityManager, {
      method: "PATCH",
      body: { status: "reject", message: "no" },
    });
    expect(twice.status).toBe(422);
    expect(twice.body.message).toMatch(/approved/);

    const got = await call(path, fx.tokens.repoAdmin);
    expect(got.body).toMatchObject({
      status: "approved",
      responses: [
        {
          id: approved.body.bypass_review_id,
          reviewer: { actor_id: fx.users.securityManager.id, actor_name: "carol" },
          status: "approved",
        },
      ],
    });

    // Dismissing the approval: the request waits again and the secret is blocked again.
    const responsePath = `/repos/acme/api/bypass-responses/secret-scanning/${approved.body.bypass_review_id}`;
    expect((await call(responsePath, fx.tokens.repoAdmin, { method: "DELETE" })).status).toBe(403);
    expect(
      (
        await call("/repos/acme/api/bypass-responses/secret-scanning/99999", fx.tokens.securityManager, {
          method: "DELETE",
        })
      ).status,
    ).toBe(404);
    expect((await call(responsePath, fx.tokens.securityManager, { method: "DELETE" })).status).toBe(204);
    expect((await call(path, fx.tokens.admin)).body).toMatchObject({
      status: "pending",
      responses: [{ status: "dismissed" }],
    });
    expect(
      await fx.pushProtection.findAllowance(fx.repo.id, fx.users.writer.id, "github_personal_access_token", secret),
    ).toBeNull();
  });

  it("keeps a denied request's secret blocked", async () => {
    const { placeholderId, secret } = await blockedSecret(fx.users.writer.id);
    const requested = await call("/repos/acme/api/secret-scanning/push-protection-bypasses", fx.tokens.writer, {
      method: "POST",
      body: { reason: "false_positive", placeholder_id: placeholderId },
    });
    const denied = await call(`${bypassList}/${requested.body.number}`, fx.tokens.admin, {
      method: "PATCH",
      body: { status: "reject", message: "that is a live key" },
    });
    expect(denied.status).toBe(200);
    expect((await call(`${bypassList}/${requested.body.number}`, fx.tokens.admin)).body.status).toBe("denied");
    expect(
      await fx.pushProtection.findAllowance(fx.repo.id, fx.users.writer.id, "github_personal_access_token", secret),
    ).toBeNull();
  });

  it("lets a reviewer bypass directly", async () => {
    const { placeholderId } = await blockedSecret(fx.users.admin.id);
    const res = await call("/repos/acme/api/secret-scanning/push-protection-bypasses", fx.tokens.admin, {
      method: "POST",
      body: { reason: "used_in_tests", placeholder_id: placeholderId },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reason: "used_in_tests", token_type: "github_personal_access_token" });
  });

  it("lists with GitHub's filters and pagination, for the repository, the organization and the enterprise", async () => {
    const all = await call(bypassList, fx.tokens.admin);
    expect(all.status).toBe(200);
    expect(all.body.length).toBeGreaterThanOrEqual(2);
    const numbers = all.body.map((r) => r.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(
      (await call(`${bypassList}?request_status=open`, fx.tokens.admin)).body.every((r) => r.status === "pending"),
    ).toBe(true);
    expect((await call(`${bypassList}?request_status=denied`, fx.tokens.admin)).body.map((r) => r.status)).toEqual([
      "denied",
    ]);
    expect((await call(`${bypassList}?request_status=deleted`, fx.tokens.admin)).body).toEqual([]);
    expect((await call(`${bypassList}?reviewer=carol`, fx.tokens.admin)).body).toHaveLength(1);
    expect((await call(`${bypassList}?requester=dave`, fx.tokens.admin)).body).toHaveLength(all.body.length);
    expect((await call(`${bypassList}?requester=nobody-here`, fx.tokens.admin)).body).toEqual([]);
    expect((await call(`${bypassList}?time_period=hour`, fx.tokens.admin)).body).toHaveLength(all.body.length);
    for (const query of ["time_period=year", "request_status=granted", "per_page=0", "page=x"]) {
      const res = await call(`${bypassList}?${query}`, fx.tokens.admin);
      expect(res.status, query).toBe(422);
    }
    const paged = await api.request(`${BASE}${bypassList}?per_page=1`, {
      headers: { authorization: `token ${fx.tokens.admin}` },
    });
    expect(((await paged.json()) as unknown[]).length).toBe(1);
    expect(paged.headers.get("link")).toMatch(/page=2>; rel="next"/);
    expect((await call("/orgs/acme/bypass-requests/secret-scanning", fx.tokens.securityManager)).body).toHaveLength(
      all.body.length,
    );
    expect(
      (await call("/orgs/acme/bypass-requests/secret-scanning?repository_name=web", fx.tokens.securityManager)).body,
    ).toEqual([]);
    expect(
      (await call("/enterprises/vigil/bypass-requests/secret-scanning?organization_name=acme", fx.tokens.admin)).body,
    ).toHaveLength(all.body.length);
    expect(
      (await call("/enterprises/vigil/bypass-requests/secret-scanning?organization_name=other", fx.tokens.admin)).body,
    ).toEqual([]);
  });
});

describe("delegated alert dismissal", () => {
  const alertPath = (n: number): string => `/repos/acme/api/secret-scanning/alerts/${n}`;

  it("closes directly while review is off", async () => {
    const res = await call(alertPath(5), fx.tokens.repoAdmin, {
      method: "PATCH",
      body: { state: "resolved", resolution: "revoked" },
    });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("resolved");
  });

  it("turns a non-reviewer's close into a request (403, alert open); a denial keeps it open, an approval closes it as requested", async () => {
    await call("/orgs/acme", fx.tokens.admin, {
      method: "PATCH",
      body: { secret_scanning_delegated_alert_dismissal_enabled: true },
    });
    const close = { state: "resolved", resolution: "false_positive", resolution_comment: "example value in docs" };
    const first = await call(alertPath(1), fx.tokens.repoAdmin, { method: "PATCH", body: close });
    expect(first.status).toBe(403);
    expect(first.body.message).toMatch(
      /^Delegated alert dismissal is enabled and the authenticated user is not a valid reviewer/,
    );
    expect(first.body.dismissal_request).toMatchObject({
      number: 1,
      request_type: "secret_scanning_closure",
      data: [{ secret_type: "github_personal_access_token", alert_number: "1", reason: "false_positive" }],
      resource_identifier: "1",
      status: "pending",
      requester: { actor_name: "alice" },
      requester_comment: "example value in docs",
    });
    expect((await call(alertPath(1), fx.tokens.admin)).body.state).toBe("open");
    // Asking again names the same pending request.
    const again = await call(alertPath(1), fx.tokens.repoAdmin, { method: "PATCH", body: close });
    expect(again.body.dismissal_request.id).toBe(first.body.dismissal_request.id);
    expect(again.body.message).toMatch(/already pending/);

    expect(
      (
        await call(`${dismissalList}/1`, fx.tokens.securityManager, {
          method: "PATCH",
          body: { status: "reject", message: "x" },
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await call(`${dismissalList}/1`, fx.tokens.repoAdmin, {
          method: "PATCH",
          body: { status: "deny", message: "x" },
        })
      ).status,
    ).toBe(403);
    const denied = await call(`${dismissalList}/1`, fx.tokens.securityManager, {
      method: "PATCH",
      body: { status: "deny", message: "it is a real key: revoke it" },
    });
    expect(denied.status).toBe(200);
    expect(denied.body).toEqual({ dismissal_review_id: expect.any(Number) });
    expect((await call(alertPath(1), fx.tokens.admin)).body.state).toBe("open");
    expect((await call(`${dismissalList}/1`, fx.tokens.admin)).body.status).toBe("denied");

    // A new request after the denial, approved: closed with the requester's resolution and comment, by the requester.
    expect(
      (
        await call(alertPath(1), fx.tokens.repoAdmin, {
          method: "PATCH",
          body: { ...close, resolution: "used_in_tests" },
        })
      ).status,
    ).toBe(403);
    const approved = await call(`${dismissalList}/1`, fx.tokens.securityManager, {
      method: "PATCH",
      body: { status: "approve", message: "agreed" },
    });
    expect(approved.status).toBe(200);
    const alert = (await call(alertPath(1), fx.tokens.admin)).body;
    // Only the alert the request names.
    expect((await call(alertPath(3), fx.tokens.admin)).body.state).toBe("open");
    expect(alert).toMatchObject({
      state: "resolved",
      resolution: "used_in_tests",
      resolution_comment: "example value in docs",
      resolved_by: { login: "alice" },
    });
    const stored = await fx.store.getAlert(fx.repo.id, 1);
    const actions = (await fx.store.listEvents(stored!.id)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["dismissal_requested", "dismissal_denied", "dismissal_approved", "resolved"]),
    );
    expect(actions.indexOf("dismissal_requested")).toBeLessThan(actions.indexOf("dismissal_denied"));

    const list = await call(`${dismissalList}?request_status=approved`, fx.tokens.admin);
    expect(list.body.map((r) => r.number)).toEqual([1]);
  });

  it("lets a reviewer close directly", async () => {
    const res = await call(alertPath(2), fx.tokens.securityManager, {
      method: "PATCH",
      body: { state: "resolved", resolution: "revoked" },
    });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("resolved");
  });
});
