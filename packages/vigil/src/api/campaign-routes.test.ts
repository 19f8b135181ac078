import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRevokers } from "../campaigns/revokers.js";
import { createApiFixture, type ApiFixture } from "../test-support/api-fixture.js";
import { startFakeIssuers, type FakeIssuers } from "../test-support/fake-issuers.js";
import { createApi } from "./create-api.js";

let fx: ApiFixture;
let issuers: FakeIssuers;
let api: ReturnType<typeof createApi>;
const BASE = "http://vigil.test";
const warnings: { fields: Record<string, unknown>; message: string }[] = [];

beforeAll(async () => {
  fx = await createApiFixture({ alerts: 3 });
  issuers = await startFakeIssuers();
  const org = (await fx.store.getOrganization("acme"))!;
  await fx.store.setOrgRole(org.id, fx.users.repoAdmin.id, "member");
  api = createApi({
    store: fx.store,
    campaigns: { campaigns: fx.campaigns, revokers: createRevokers({ urls: issuers.urls }), log: { warn: (fields, message) => warnings.push({ fields, message }) } },
  });
});
afterAll(async () => {
  await issuers.close();
  await fx.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
async function call(path: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const res = await api.request(`${BASE}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `token ${token}`, ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: res.status, body, text, headers: res.headers };
}

describe("campaign routes", () => {
  it("create: GitHub's field names, the filters' selection, 422s naming the field", async () => {
    const { status, body } = await call("/orgs/acme/secret-scanning/campaigns", fx.tokens.securityManager, {
      method: "POST",
      body: { name: "PATs", description: "rotate", secret_type: "github_personal_access_token", repositories: ["api"], ends_at: "2027-01-15" },
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      name: "PATs",
      state: "open",
      ends_at: "2027-01-15T23:59:59.000Z",
      managers: [expect.objectContaining({ login: "carol" })],
      alert_stats: { open_count: 3, closed_count: 0, total_count: 3 },
      filters: { secret_types: ["github_personal_access_token"], repositories: ["api"], validity: [], min_age_days: null },
    });
    const bad = async (payload: unknown, field: string) => {
      const r = await call("/orgs/acme/secret-scanning/campaigns", fx.tokens.securityManager, { method: "POST", body: payload });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.errors[0].field).toBe(field);
    };
    await bad({}, "name");
    await bad({ name: "PATs" }, "name");
    await bad({ name: "x", validity: "alive" }, "validity");
    await bad({ name: "x", ends_at: "next week" }, "ends_at");
    await bad({ name: "x", min_age_days: -1 }, "min_age_days");
    await bad({ name: "x", managers: ["bob"] }, "managers");
    await bad({ name: "x", secret_type: ["GitHub PAT"] }, "secret_type");
    expect((await call("/orgs/acme/secret-scanning/campaigns", fx.tokens.securityManager, { method: "POST", body: { name: "x", validity: "inactive" } })).body.alert_stats.total_count).toBe(0);
  });

  it("only owners and security managers see campaigns (404 to others, as the organization's alert list)", async () => {
    expect((await call("/orgs/acme/secret-scanning/campaigns", fx.tokens.reader)).status).toBe(404);
    expect((await call("/orgs/acme/secret-scanning/campaigns", fx.tokens.repoAdmin)).status).toBe(404);
    const list = await call("/orgs/acme/secret-scanning/campaigns", fx.tokens.admin);
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThanOrEqual(1);
    expect((await call("/orgs/acme/secret-scanning/campaigns/999999", fx.tokens.admin)).status).toBe(404);
    expect((await call("/orgs/acme/secret-scanning/campaigns/abc", fx.tokens.admin)).status).toBe(404);
  });

  it("export: exactly the seed's fields, masked unless reveal=true (which is logged, without the secret)", async () => {
    const created = await call("/orgs/acme/secret-scanning/campaigns", fx.tokens.admin, { method: "POST", body: { name: "export" } });
    const path = `/orgs/acme/secret-scanning/campaigns/${created.body.number}/export`;
    const masked = await call(path, fx.tokens.securityManager);
    expect(masked.status).toBe(200);
    expect(masked.headers.get("cache-control")).toBe("no-store");
    expect(Object.keys(masked.body[0] as object)).toEqual(["organization", "repository", "secret_type", "secret_value", "maintainers"]);
    for (const secret of fx.secrets) expect(masked.text).not.toContain(secret);
    const csv = await call(`${path}?format=csv`, fx.tokens.securityManager);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.text.split("\r\n")[0]).toBe("organization,repository,secret_type,secret_value,maintainers");
    const revealed = await call(`${path}?reveal=true`, fx.tokens.securityManager);
    expect(fx.secrets.some((s) => revealed.text.includes(s))).toBe(true);
    expect(warnings.at(-1)).toMatchObject({ message: "campaign exported with secrets revealed", fields: { user: "carol" } });
    expect(JSON.stringify(warnings)).not.toContain(fx.secrets[0]);
    expect((await call(`${path}?format=xml`, fx.tokens.securityManager)).status).toBe(422);
    const remediation = await call("/orgs/acme/secret-scanning/remediation?secret_type=github_personal_access_token", fx.tokens.securityManager);
    expect(remediation.body).toHaveLength(3);
  });

  it("progress, closing and reopening through PATCH, and DELETE", async () => {
    const created = await call("/orgs/acme/secret-scanning/campaigns", fx.tokens.admin, { method: "POST", body: { name: "lifecycle" } });
    const path = `/orgs/acme/secret-scanning/campaigns/${created.body.number}`;
    const progress = await call(`${path}/progress`, fx.tokens.admin);
    expect(progress.body).toMatchObject({ total_count: 3, open_count: 3, closed_count: 0, mean_time_to_remediate_seconds: null });
    expect(progress.body.over_time).toHaveLength(1);
    const patched = await call(path, fx.tokens.admin, { method: "PATCH", body: { state: "closed", name: "lifecycle (done)" } });
    expect(patched.body).toMatchObject({ state: "closed", name: "lifecycle (done)" });
    expect(patched.body.closed_at).not.toBeNull();
    expect((await call(path, fx.tokens.admin, { method: "PATCH", body: { state: "archived" } })).status).toBe(422);
    expect((await call(path, fx.tokens.admin, { method: "DELETE" })).status).toBe(204);
    expect((await call(path, fx.tokens.admin)).status).toBe(404);
  });

  it("playbooks: built-in text with the provider's revocation page, replaced by the organization's, and back", async () => {
    const path = "/orgs/acme/secret-scanning/playbooks/github_personal_access_token";
    const builtin = await call(path, fx.tokens.securityManager);
    expect(builtin.body).toMatchObject({ secret_type: "github_personal_access_token", custom: false });
    expect(builtin.body.body).toContain("https://github.com/settings/tokens");
    expect((await call(path, fx.tokens.securityManager, { method: "PUT", body: { body: "Ask #security to rotate it." } })).body).toMatchObject({ custom: true, body: "Ask #security to rotate it." });
    expect((await call(path, fx.tokens.securityManager)).body.body).toBe("Ask #security to rotate it.");
    expect((await call(path, fx.tokens.securityManager, { method: "PUT", body: { body: "" } })).status).toBe(422);
    expect((await call(path, fx.tokens.securityManager, { method: "DELETE" })).status).toBe(204);
    expect((await call(path, fx.tokens.securityManager)).body.custom).toBe(false);
    expect((await call("/orgs/acme/secret-scanning/playbooks/Not-A-Type", fx.tokens.securityManager)).status).toBe(404);
  });

  it("the forge connection: owners only, token write-only, URL checked; outreach needs one", async () => {
    const path = "/orgs/acme/secret-scanning/forge-connection";
    const created = await call("/orgs/acme/secret-scanning/campaigns", fx.tokens.admin, { method: "POST", body: { name: "outreach" } });
    const outreach = await call(`/orgs/acme/secret-scanning/campaigns/${created.body.number}/outreach`, fx.tokens.admin, { method: "POST" });
    expect(outreach.status).toBe(422);
    expect(outreach.body.message).toMatch(/No forge is connected/);
    expect((await call(path, fx.tokens.securityManager, { method: "PUT", body: {} })).status).toBe(404);
    expect((await call(path, fx.tokens.admin)).status).toBe(404);
    expect((await call(path, fx.tokens.admin, { method: "PUT", body: { api_url: "ftp://forge", token: "t" } })).body.errors[0].field).toBe("api_url");
    expect((await call(path, fx.tokens.admin, { method: "PUT", body: { api_url: "https://forge.example/api/v3" } })).body.errors[0].field).toBe("token");
    expect((await call(path, fx.tokens.admin, { method: "PUT", body: { kind: "bitbucket", api_url: "https://forge.example", token: "t" } })).body.errors[0].field).toBe("kind");
    const saved = await call(path, fx.tokens.admin, { method: "PUT", body: { kind: "gitlab", api_url: "https://gitlab.example/api/v4", token: "forge-route-credential", namespace: "security/outreach" } });
    expect(saved.body).toEqual({ kind: "gitlab", api_url: "https://gitlab.example/api/v4", namespace: "security/outreach", token_set: true, updated_at: expect.any(String) });
    expect((await call(path, fx.tokens.admin)).text).not.toContain("forge-route-credential");
    expect((await call(path, fx.tokens.admin, { method: "DELETE" })).status).toBe(204);
  });

  it("auto-remediation: switched on per type by an owner, then one alert revoked through its issuer", async () => {
    const list = await call("/orgs/acme/secret-scanning/auto-remediation", fx.tokens.securityManager);
    expect(list.body).toEqual(expect.arrayContaining([{ secret_type: "github_personal_access_token", issuer: "github", enabled: false, updated_at: null }]));
    const path = "/orgs/acme/secret-scanning/auto-remediation/github_personal_access_token";
    expect((await call(path, fx.tokens.securityManager, { method: "PUT", body: { enabled: true } })).status).toBe(404);
    expect((await call("/orgs/acme/secret-scanning/auto-remediation/aws_access_key_id", fx.tokens.admin, { method: "PUT", body: { enabled: true } })).status).toBe(422);
    const refused = await call("/repos/acme/api/secret-scanning/alerts/1/remediate", fx.tokens.repoAdmin, { method: "POST" });
    expect([refused.status, refused.body.message]).toEqual([422, "auto-remediation is not enabled for github_personal_access_token in this organization"]);
    expect((await call(path, fx.tokens.admin, { method: "PUT", body: { enabled: true } })).body).toEqual({ secret_type: "github_personal_access_token", issuer: "github", enabled: true });
    issuers.live.github.add(fx.secrets[0]!);
    const done = await call("/repos/acme/api/secret-scanning/alerts/1/remediate", fx.tokens.repoAdmin, { method: "POST" });
    expect(done.body).toMatchObject({ outcome: "revoked", state: "resolved", resolution: "revoked" });
    expect(issuers.live.github.has(fx.secrets[0]!)).toBe(false);
    expect((await call("/repos/acme/api/secret-scanning/alerts/1/remediate", fx.tokens.repoAdmin, { method: "POST" })).status).toBe(422);
    const campaign = await call("/orgs/acme/secret-scanning/campaigns", fx.tokens.admin, { method: "POST", body: { name: "auto" } });
    const run = await call(`/orgs/acme/secret-scanning/campaigns/${campaign.body.number}/remediate`, fx.tokens.admin, { method: "POST" });
    expect(run.body.revoked_count).toBe(2);
    await call(path, fx.tokens.admin, { method: "PUT", body: { enabled: false } });
  });
});
