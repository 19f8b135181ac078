import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiFixture, detection, type ApiFixture } from "../test-support/api-fixture.js";
import { createApi } from "./create-api.js";

let fx: ApiFixture;
let api: ReturnType<typeof createApi>;
const BASE = "http://vigil.test";

beforeAll(async () => {
  fx = await createApiFixture({ alerts: 5 });
  api = createApi({ store: fx.store, pushProtection: fx.pushProtection });
});
afterAll(async () => fx.close());

function call(path: string, token: string | null, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/vnd.github+json" };
  if (token) headers.authorization = `token ${token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return Promise.resolve(
    api.request(`${BASE}${path}`, { method: init.method ?? "GET", headers, ...(init.body !== undefined ? { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) } : {}) }),
  );
}

const alertsPath = "/repos/acme/api/secret-scanning/alerts";

describe("authentication and authorization", () => {
  const routes: [string, string, unknown?][] = [
    ["GET", alertsPath],
    ["GET", `${alertsPath}/1`],
    ["PATCH", `${alertsPath}/1`, { state: "resolved", resolution: "revoked" }],
    ["GET", `${alertsPath}/1/locations`],
    ["GET", "/repos/acme/api/secret-scanning/scan-history"],
    ["GET", "/orgs/acme/secret-scanning/alerts"],
    ["GET", "/enterprises/vigil/secret-scanning/alerts"],
    ["POST", "/repos/acme/api/secret-scanning/push-protection-bypasses", { reason: "used_in_tests", placeholder_id: "x" }],
    ["GET", "/repos/acme/api/secret-scanning/push-protection-metrics"],
    ["GET", "/orgs/acme/secret-scanning/pattern-configurations"],
    ["PATCH", "/orgs/acme/secret-scanning/pattern-configurations", { provider_pattern_settings: [] }],
    ["GET", "/orgs/acme/secret-scanning/push-protection-metrics"],
    ["GET", "/enterprises/vigil/secret-scanning/pattern-configurations"],
    ["PATCH", "/enterprises/vigil/secret-scanning/pattern-configurations", { provider_pattern_settings: [] }],
    ["PATCH", "/repos/acme/api", { security_and_analysis: { secret_scanning: { status: "disabled" } } }],
    ["PATCH", "/orgs/acme", { secret_scanning_push_protection_custom_link: null }],
    ["POST", "/orgs/acme/repos", { name: "new" }],
  ];
  /** A reader of acme/api has a role there, so these answer: reading the repository, and asking for a bypass (404: unknown placeholder). */
  const readerAllowed = new Set(["/repos/acme/api/secret-scanning/push-protection-bypasses"]);

  it.each(routes)("%s %s without credentials is 401 with GitHub's body", async (method, path, body) => {
    const res = await call(path, null, { method, body });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: "Requires authentication", documentation_url: expect.any(String) });
  });

  it.each(routes)("%s %s with an unknown token is 401", async (method, path, body) => {
    const res = await call(path, "vgl_" + "x".repeat(36), { method, body });
    expect(res.status).toBe(401);
  });

  it.each(routes)("%s %s for a user with read access is 404, revealing nothing", async (method, path, body) => {
    const res = await call(path, fx.tokens.reader, { method, body });
    expect(res.status).toBe(404);
    if (!readerAllowed.has(path)) expect(await res.json()).toMatchObject({ message: "Not Found" });
  });

  it.each(routes)("%s %s for a user with no role at all is 404", async (method, path, body) => {
    const outsider = await fx.store.createUser({ login: `outsider-${method}-${path.length}-${Math.random().toString(36).slice(2, 8)}` });
    const { token } = await fx.store.createToken({ userId: outsider.id, scopes: ["repo", "security_events", "write:org", "admin:enterprise"] });
    expect((await call(path, token, { method, body })).status).toBe(404);
  });

  it.each(routes.filter(([, path]) => path.startsWith("/repos") && !readerAllowed.has(path)))("%s %s for a writer (no admin) is 404", async (method, path, body) => {
    expect((await call(path, fx.tokens.writer, { method, body })).status).toBe(404);
  });

  it("a repository that does not exist is the same 404 as one without access", async () => {
    const res = await call("/repos/acme/nope/secret-scanning/alerts", fx.tokens.repoAdmin);
    expect(res.status).toBe(404);
  });

  it("a repository admin whose token lacks repo and security_events gets 403 naming the scopes", async () => {
    const res = await call(alertsPath, fx.tokens.scopeless);
    expect(res.status).toBe(403);
    expect(res.headers.get("x-accepted-oauth-scopes")).toBe("repo, security_events");
    expect(((await res.json()) as { message: string }).message).toMatch(/scope/);
  });

  it("repository admins, security managers and site admins see the alerts", async () => {
    for (const token of [fx.tokens.repoAdmin, fx.tokens.securityManager, fx.tokens.admin]) {
      expect((await call(alertsPath, token)).status).toBe(200);
    }
  });

  it("a repository admin has no organization-wide view", async () => {
    expect((await call("/orgs/acme/secret-scanning/alerts", fx.tokens.repoAdmin)).status).toBe(404);
  });

  it("disabling secret scanning on the repository makes its alert endpoints 404", async () => {
    await fx.store.updateRepository(fx.repo.id, { secretScanningEnabled: false });
    try {
      expect((await call(alertsPath, fx.tokens.admin)).status).toBe(404);
      expect((await call(`${alertsPath}/1`, fx.tokens.admin)).status).toBe(404);
    } finally {
      await fx.store.updateRepository(fx.repo.id, { secretScanningEnabled: true });
    }
  });
});

describe("list alerts", () => {
  it("returns GitHub's alert shape, newest first, without generic types", async () => {
    const res = await call(alertsPath, fx.tokens.repoAdmin);
    expect(res.status).toBe(200);
    const alerts = (await res.json()) as Record<string, unknown>[];
    expect(alerts).toHaveLength(5);
    expect(alerts.map((a) => a.number)).toEqual([5, 4, 3, 2, 1]);
    const first = alerts[4]!;
    expect(Object.keys(first).slice(0, 7)).toEqual(["number", "created_at", "updated_at", "url", "html_url", "locations_url", "state"]);
    expect(first).toMatchObject({
      number: 1,
      url: `${BASE}/api/v3/repos/acme/api/secret-scanning/alerts/1`,
      html_url: `${BASE}/acme/api/security/secret-scanning/1`,
      locations_url: `${BASE}/api/v3/repos/acme/api/secret-scanning/alerts/1/locations`,
      state: "open",
      resolution: null,
      secret_type: "github_personal_access_token",
      secret_type_display_name: "GitHub Personal Access Token",
      secret: fx.secrets[0],
      validity: "unknown",
      push_protection_bypassed: false,
      has_more_locations: false,
      first_location_detected: { path: "config/0.env", start_line: 3, blob_sha: expect.stringMatching(/^[0-9a-f]{40}$/) },
    });
    expect(first.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(first).not.toHaveProperty("repository");
  });

  it("lists a generic type only when it is asked for", async () => {
    const res = await call(`${alertsPath}?secret_type=http_basic_authentication_header`, fx.tokens.repoAdmin);
    const alerts = (await res.json()) as { secret_type: string }[];
    expect(alerts.map((a) => a.secret_type)).toEqual(["http_basic_authentication_header"]);
  });

  it("paginates with GitHub's Link header, per_page echoed", async () => {
    const res = await call(`${alertsPath}?per_page=2&page=2`, fx.tokens.repoAdmin);
    expect(((await res.json()) as unknown[]).length).toBe(2);
    const link = res.headers.get("link")!;
    const rels = [...link.matchAll(/<([^>]+)>; rel="(\w+)"/g)].map((m) => [m[2], new URL(m[1]!).searchParams.get("page"), new URL(m[1]!).searchParams.get("per_page")]);
    expect(rels).toEqual([
      ["prev", "1", "2"],
      ["next", "3", "2"],
      ["last", "3", "2"],
      ["first", "1", "2"],
    ]);
    const lastPage = await call(`${alertsPath}?per_page=2&page=3`, fx.tokens.repoAdmin);
    expect(((await lastPage.json()) as unknown[]).length).toBe(1);
    expect(lastPage.headers.get("link")).not.toContain('rel="next"');
  });

  it("omits the Link header when everything fits on one page", async () => {
    const res = await call(alertsPath, fx.tokens.repoAdmin);
    expect(res.headers.get("link")).toBeNull();
  });

  it("walks every alert with before/after cursors from an empty after=", async () => {
    const seen: number[] = [];
    let path: string | null = `${alertsPath}?per_page=2&after=`;
    while (path) {
      const res = await call(path, fx.tokens.repoAdmin);
      expect(res.status).toBe(200);
      seen.push(...((await res.json()) as { number: number }[]).map((a) => a.number));
      const next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "");
      path = next ? next[1]!.slice(BASE.length) : null;
      expect(seen.length).toBeLessThanOrEqual(5);
    }
    expect(seen).toEqual([5, 4, 3, 2, 1]);
  });

  it("answers a malformed cursor with 422, not 500", async () => {
    expect((await call(`${alertsPath}?after=not-a-cursor`, fx.tokens.repoAdmin)).status).toBe(422);
  });

  it("filters by provider and by assignee", async () => {
    const github = await call(`${alertsPath}?providers=github`, fx.tokens.repoAdmin);
    expect(((await github.json()) as unknown[]).length).toBe(5);
    const other = await call(`${alertsPath}?providers=slack`, fx.tokens.repoAdmin);
    expect(await other.json()).toEqual([]);
    expect((await call(`${alertsPath}?providers=github&exclude_providers=slack`, fx.tokens.repoAdmin)).status).toBe(422);
    const nobody = await call(`${alertsPath}?assignee=no-such-user`, fx.tokens.repoAdmin);
    expect(await nobody.json()).toEqual([]);
  });

  it("sorts ascending on request, hides secrets on request", async () => {
    const res = await call(`${alertsPath}?direction=asc&hide_secret=true`, fx.tokens.repoAdmin);
    const alerts = (await res.json()) as Record<string, unknown>[];
    expect(alerts.map((a) => a.number)).toEqual([1, 2, 3, 4, 5]);
    expect(alerts[0]).not.toHaveProperty("secret");
  });

  it("rejects a bad parameter value with 422 naming it", async () => {
    const res = await call(`${alertsPath}?state=closed`, fx.tokens.repoAdmin);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/state/);
    expect((await call(`${alertsPath}?secret_type=a&exclude_secret_types=b`, fx.tokens.repoAdmin)).status).toBe(422);
  });

  it("organization and enterprise listings add the repository", async () => {
    for (const path of ["/orgs/acme/secret-scanning/alerts", "/enterprises/vigil/secret-scanning/alerts"]) {
      const res = await call(path, fx.tokens.securityManager);
      expect(res.status).toBe(200);
      const alerts = (await res.json()) as Record<string, { full_name?: string }>[];
      expect(alerts).toHaveLength(5);
      expect(alerts[0]!.repository).toMatchObject({ full_name: "acme/api", owner: { login: "acme" } });
    }
  });
});

describe("get and update an alert", () => {
  it("gets one alert with metadata, 404 for an unknown number", async () => {
    const res = await call(`${alertsPath}/2`, fx.tokens.repoAdmin);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ number: 2, secret: fx.secrets[1], metadata: [] });
    expect((await call(`${alertsPath}/999`, fx.tokens.repoAdmin)).status).toBe(404);
    expect((await call(`${alertsPath}/abc`, fx.tokens.repoAdmin)).status).toBe(404);
  });

  it("requires a resolution to resolve (422) and refuses one on reopen (422)", async () => {
    const missing = await call(`${alertsPath}/1`, fx.tokens.repoAdmin, { method: "PATCH", body: { state: "resolved" } });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ errors: [{ field: "resolution", code: "missing_field" }] });
    const mismatch = await call(`${alertsPath}/1`, fx.tokens.repoAdmin, { method: "PATCH", body: { state: "open", resolution: "revoked" } });
    expect(mismatch.status).toBe(422);
    expect((await call(`${alertsPath}/1`, fx.tokens.repoAdmin, { method: "PATCH", body: { state: "resolved", resolution: "fixed" } })).status).toBe(422);
    expect((await call(`${alertsPath}/1`, fx.tokens.repoAdmin, { method: "PATCH", body: {} })).status).toBe(422);
  });

  it("rejects an over-long comment and malformed JSON with 400, changing nothing", async () => {
    const long = await call(`${alertsPath}/1`, fx.tokens.repoAdmin, { method: "PATCH", body: { state: "resolved", resolution: "revoked", resolution_comment: "x".repeat(281) } });
    expect(long.status).toBe(400);
    expect((await call(`${alertsPath}/1`, fx.tokens.repoAdmin, { method: "PATCH", body: "{not json" })).status).toBe(400);
    expect((await fx.store.getAlert(fx.repo.id, 1))!.state).toBe("open");
  });

  it("resolves with each resolution, records who and when, and reopening clears it", async () => {
    for (const resolution of ["false_positive", "wont_fix", "revoked", "used_in_tests"]) {
      const res = await call(`${alertsPath}/3`, fx.tokens.repoAdmin, { method: "PATCH", body: { state: "resolved", resolution, resolution_comment: `because ${resolution}` } });
      expect(res.status).toBe(200);
      const alert = (await res.json()) as { resolved_at: string };
      expect(alert).toMatchObject({ state: "resolved", resolution, resolution_comment: `because ${resolution}`, resolved_by: { login: "alice" } });
      expect(alert.resolved_at).toMatch(/Z$/);
      const reopened = await call(`${alertsPath}/3`, fx.tokens.repoAdmin, { method: "PATCH", body: { state: "open" } });
      expect(await reopened.json()).toMatchObject({ state: "open", resolution: null, resolved_at: null, resolved_by: null });
    }
    const events = await fx.store.listEvents((await fx.store.getAlert(fx.repo.id, 3))!.id);
    expect(events.map((e) => e.action)).toEqual(["created", ...Array(4).fill(["resolved", "reopened"]).flat()]);
  });

  it("answers a body that is not a JSON object with 400, not 500", async () => {
    for (const [method, path] of [["PATCH", "/repos/acme/api"], ["PATCH", "/orgs/acme"], ["PATCH", `${alertsPath}/1`]] as const) {
      for (const body of ["null", "[1]", "\"text\""]) {
        const res = await call(path, fx.tokens.admin, { method, body });
        expect(res.status, `${method} ${path} ${body}`).toBe(400);
      }
    }
  });

  it("400 when the resolution does not change", async () => {
    expect((await call(`${alertsPath}/4`, fx.tokens.repoAdmin, { method: "PATCH", body: { state: "resolved", resolution: "revoked" } })).status).toBe(200);
    expect((await call(`${alertsPath}/4`, fx.tokens.repoAdmin, { method: "PATCH", body: { state: "resolved", resolution: "revoked" } })).status).toBe(400);
  });

  it("assigns only users with write access, and unassigns", async () => {
    const bad = await call(`${alertsPath}/5`, fx.tokens.repoAdmin, { method: "PATCH", body: { assignee: "bob" } });
    expect(bad.status).toBe(422);
    const ok = await call(`${alertsPath}/5`, fx.tokens.repoAdmin, { method: "PATCH", body: { assignee: "dave" } });
    expect(await ok.json()).toMatchObject({ assigned_to: { login: "dave" } });
    const none = await call(`${alertsPath}/5`, fx.tokens.repoAdmin, { method: "PATCH", body: { assignee: null } });
    expect(await none.json()).toMatchObject({ assigned_to: null });
  });
});

describe("locations and scan history", () => {
  it("lists commit locations with API URLs and paginates them", async () => {
    const alert = (await fx.store.getAlert(fx.repo.id, 2))!;
    const extra = detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", fx.secrets[1]!, "docs/other.md", 500);
    await fx.store.recordDetections(fx.repo.id, [extra]);
    const res = await call(`${alertsPath}/2/locations?per_page=1`, fx.tokens.repoAdmin);
    expect(res.status).toBe(200);
    const [location] = (await res.json()) as { type: string; details: Record<string, unknown> }[];
    expect(location).toMatchObject({
      type: "commit",
      details: { path: "config/1.env", start_line: 3, end_line: 3, start_column: 14, blob_url: expect.stringContaining("/api/v3/repos/acme/api/git/blobs/"), commit_url: expect.stringContaining("/git/commits/") },
    });
    expect(res.headers.get("link")).toContain('rel="next"');
    const again = await call(`${alertsPath}/2`, fx.tokens.repoAdmin);
    expect(await again.json()).toMatchObject({ has_more_locations: true });
    expect(alert.locationCount).toBe(1);
  });

  it("reports scan history grouped by kind", async () => {
    const scan = await fx.store.createScan({ repoId: fx.repo.id, kind: "backfill", type: "git" });
    await fx.store.updateScan(scan.id, { status: "completed", startedAt: new Date().toISOString(), completedAt: new Date().toISOString() });
    const res = await call("/repos/acme/api/secret-scanning/scan-history", fx.tokens.repoAdmin);
    const body = (await res.json()) as { backfill_scans: unknown[] };
    expect(Object.keys(body)).toEqual(["incremental_scans", "pattern_update_scans", "backfill_scans", "custom_pattern_backfill_scans", "generic_secrets_backfill_scans"]);
    expect(body.backfill_scans[0]).toMatchObject({ type: "git", status: "completed" });
  });
});
