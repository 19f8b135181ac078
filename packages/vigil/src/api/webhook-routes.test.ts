import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenScope } from "../alerts/alert-store.js";
import { createApiFixture, type ApiFixture } from "../test-support/api-fixture.js";
import type { Hook } from "../webhooks/webhook-store.js";
import { createApi } from "./create-api.js";

const BASE = "http://vigil.test";
const random = new ExampleRandom(0x4e4b);
let fx: ApiFixture;
let webhooks: ApiFixture["webhooks"];
let api: ReturnType<typeof createApi>;
let queued = 0;
const tokens: Record<string, string> = {};
let repoHook: Hook;
let orgHook: Hook;
let instanceHook: Hook;
let otherRepoHook: Hook;

beforeAll(async () => {
  fx = await createApiFixture({ alerts: 1 });
  webhooks = fx.webhooks;
  api = createApi({ store: fx.store, webhooks, onDeliveryQueued: () => queued++ });
  const org = (await fx.store.getOrganization("acme"))!;
  const make = async (login: string, scopes: TokenScope[], role: "owner" | null, siteAdmin = false) => {
    const user = await fx.store.createUser({ login, siteAdmin });
    if (role) await fx.store.setOrgRole(org.id, user.id, role);
    tokens[login] = (await fx.store.createToken({ userId: user.id, scopes })).token;
  };
  await make("olive", ["admin:org_hook"], "owner");
  await make("oscar", ["repo"], "owner");
  await make("root", ["repo"], null, true);
  Object.assign(tokens, fx.tokens);
  const input = {
    url: "https://hooks.example.com/x",
    contentType: "json" as const,
    secret: null,
    insecureSsl: false,
    events: ["*" as const],
    active: true,
  };
  repoHook = await webhooks.createHook({ scope: "repository", repoId: fx.repo.id, ...input });
  otherRepoHook = await webhooks.createHook({ scope: "repository", repoId: fx.otherRepo.id, ...input });
  orgHook = await webhooks.createHook({ scope: "organization", orgId: org.id, ...input });
  instanceHook = await webhooks.createHook({ scope: "instance", ...input });
  for (const hook of [repoHook, orgHook, instanceHook]) {
    await webhooks.createDelivery({
      guid: crypto.randomUUID(),
      hookId: hook.id,
      event: "ping",
      action: null,
      repoId: null,
      orderKey: `ping:${hook.id}`,
      body: '{"zen":"x"}',
      giveUpAt: new Date().toISOString(),
    });
  }
});
afterAll(async () => {
  await fx?.close();
});

function call(path: string, token: string | null, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/vnd.github+json" };
  if (token) headers.authorization = `token ${token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return Promise.resolve(
    api.request(`${BASE}${path}`, {
      method: init.method ?? "GET",
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    }),
  );
}

describe("who may manage hooks", () => {
  const routesOf = (base: string, hookId: () => number): [string, () => string, unknown?][] => [
    ["GET", () => base],
    ["POST", () => base, { config: { url: "https://hooks.example.com/new" } }],
    ["GET", () => `${base}/${hookId()}`],
    ["PATCH", () => `${base}/${hookId()}`, { active: true }],
    ["DELETE", () => `${base}/${hookId()}`],
    ["POST", () => `${base}/${hookId()}/pings`],
    ["GET", () => `${base}/${hookId()}/deliveries`],
    ["GET", () => `${base}/${hookId()}/deliveries/1`],
    ["POST", () => `${base}/${hookId()}/deliveries/1/attempts`],
  ];
  // [route set, outsider (has no standing: 404), holder without the hook scope (403)]
  const sets: [string, [string, () => string, unknown?][], string, string][] = [
    ["repository", routesOf("/repos/acme/api/hooks", () => repoHook.id), "reader", "scopeless"],
    ["organization", routesOf("/orgs/acme/hooks", () => orgHook.id), "repoAdmin", "oscar"],
    ["instance", routesOf("/admin/hooks", () => instanceHook.id), "repoAdmin", "root"],
  ];
  for (const [name, routes, outsider, scopeless] of sets) {
    describe(`${name} hooks`, () => {
      it.each(routes)(
        "%s without credentials is 401, for an outsider 404, without the hook scope 403",
        async (method, path, body) => {
          const anonymous = await call(path(), null, { method, body });
          expect(anonymous.status).toBe(401);
          expect(await anonymous.json()).toMatchObject({ message: "Requires authentication" });
          expect((await call(path(), tokens[outsider]!, { method, body })).status).toBe(404);
          const denied = await call(path(), tokens[scopeless]!, { method, body });
          expect(denied.status).toBe(403);
          expect(((await denied.json()) as { message: string }).message).toMatch(/scope/);
        },
      );
    });
  }

  it("a hook is reachable only under its own repository, organization or the instance", async () => {
    expect((await call(`/repos/acme/api/hooks/${otherRepoHook.id}`, tokens.admin!)).status).toBe(404);
    expect((await call(`/orgs/acme/hooks/${repoHook.id}`, tokens.olive!)).status).toBe(404);
    expect((await call(`/admin/hooks/${orgHook.id}`, tokens.admin!)).status).toBe(404);
    expect((await call(`/repos/acme/api/hooks/nope`, tokens.admin!)).status).toBe(404);
    expect((await call(`/repos/acme/nothing/hooks`, tokens.admin!)).status).toBe(404);
  });
});

describe("repository hooks", () => {
  it("creates a hook in GitHub's shape, never returns the secret, and pings it", async () => {
    const secret = random.alnum(32);
    const before = queued;
    const res = await call("/repos/acme/api/hooks", tokens.repoAdmin!, {
      method: "POST",
      body: {
        name: "web",
        active: true,
        events: ["secret_scanning_alert"],
        config: { url: "https://hooks.example.com/vigil", content_type: "json", secret, insecure_ssl: "0" },
      },
    });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain(secret);
    const hook = JSON.parse(text) as Record<string, unknown> & { id: number };
    expect(hook).toMatchObject({
      type: "Repository",
      name: "web",
      active: true,
      events: ["secret_scanning_alert"],
      config: { url: "https://hooks.example.com/vigil", content_type: "json", insecure_ssl: "0", secret: "********" },
      url: `${BASE}/api/v3/repos/acme/api/hooks/${hook.id}`,
      ping_url: `${BASE}/api/v3/repos/acme/api/hooks/${hook.id}/pings`,
      deliveries_url: `${BASE}/api/v3/repos/acme/api/hooks/${hook.id}/deliveries`,
      last_response: { code: null, status: "unused", message: null },
    });
    expect(res.headers.get("location")).toBe(`${BASE}/api/v3/repos/acme/api/hooks/${hook.id}`);
    expect(queued).toBe(before + 1);
    expect(await webhooks.getHookSecret(hook.id)).toBe(secret);
    const deliveries = (await (
      await call(`/repos/acme/api/hooks/${hook.id}/deliveries`, tokens.repoAdmin!)
    ).json()) as Record<string, unknown>[];
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      event: "ping",
      action: null,
      redelivery: false,
      status: "pending",
      state: "pending",
    });
    const ping = (await (
      await call(`/repos/acme/api/hooks/${hook.id}/deliveries/${String(deliveries[0]!.id)}`, tokens.repoAdmin!)
    ).json()) as { request: { payload: Record<string, unknown> } };
    expect(ping.request.payload).toMatchObject({
      hook_id: hook.id,
      hook: { id: hook.id, config: { secret: "********" } },
      repository: { full_name: "acme/api" },
      sender: { login: "alice" },
    });
    expect(typeof ping.request.payload.zen).toBe("string");

    // PATCH: echoing the mask keeps the secret; events can be added and removed; GET and list agree.
    const patched = await call(`/repos/acme/api/hooks/${hook.id}`, tokens.repoAdmin!, {
      method: "PATCH",
      body: {
        config: { url: "https://hooks.example.com/v2", secret: "********" },
        add_events: ["secret_scanning_alert_location"],
        remove_events: ["secret_scanning_alert"],
      },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      events: ["secret_scanning_alert_location"],
      config: { url: "https://hooks.example.com/v2", secret: "********" },
    });
    expect(await webhooks.getHookSecret(hook.id)).toBe(secret);
    expect(await (await call(`/repos/acme/api/hooks/${hook.id}`, tokens.repoAdmin!)).json()).toMatchObject({
      id: hook.id,
      events: ["secret_scanning_alert_location"],
    });
    const list = (await (await call("/repos/acme/api/hooks", tokens.repoAdmin!)).json()) as { id: number }[];
    expect(list.map((h) => h.id)).toContain(hook.id);

    // Redelivery: a new delivery of the same GUID and body, marked as one.
    const redeliver = await call(
      `/repos/acme/api/hooks/${hook.id}/deliveries/${String(deliveries[0]!.id)}/attempts`,
      tokens.repoAdmin!,
      { method: "POST" },
    );
    expect(redeliver.status).toBe(202);
    const after = (await (
      await call(`/repos/acme/api/hooks/${hook.id}/deliveries`, tokens.repoAdmin!)
    ).json()) as Record<string, unknown>[];
    expect(after).toHaveLength(2);
    expect(after[0]).toMatchObject({ guid: deliveries[0]!.guid, redelivery: true });

    expect((await call(`/repos/acme/api/hooks/${hook.id}/pings`, tokens.repoAdmin!, { method: "POST" })).status).toBe(
      204,
    );
    expect((await call(`/repos/acme/api/hooks/${hook.id}`, tokens.repoAdmin!, { method: "DELETE" })).status).toBe(204);
    expect((await call(`/repos/acme/api/hooks/${hook.id}`, tokens.repoAdmin!)).status).toBe(404);
    expect(await webhooks.listDeliveries(hook.id, { perPage: 10 })).toEqual([]);
  });

  it("pages deliveries with a cursor in the Link header", async () => {
    for (let i = 0; i < 3; i++)
      await webhooks.createDelivery({
        guid: crypto.randomUUID(),
        hookId: repoHook.id,
        event: "ping",
        action: null,
        repoId: null,
        orderKey: `ping:${repoHook.id}`,
        body: "{}",
        giveUpAt: new Date().toISOString(),
      });
    const first = await call(`/repos/acme/api/hooks/${repoHook.id}/deliveries?per_page=2`, tokens.admin!);
    const link = first.headers.get("link")!;
    expect(link).toMatch(/cursor=\d+>; rel="next"/);
    const next = await call(
      new URL(/<([^>]+)>/.exec(link)![1]!).pathname + new URL(/<([^>]+)>/.exec(link)![1]!).search,
      tokens.admin!,
    );
    const ids = [...((await first.json()) as { id: number }[]), ...((await next.json()) as { id: number }[])].map(
      (d) => d.id,
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(4);
    expect((await call(`/repos/acme/api/hooks/${repoHook.id}/deliveries?cursor=abc`, tokens.admin!)).status).toBe(422);
  });

  it.each([
    [{}, "config"],
    [{ config: {} }, "config.url"],
    [{ config: { url: "ftp://hooks.example.com/x" } }, "config.url"],
    [{ config: { url: "https://user:pw@hooks.example.com/x" } }, "config.url"],
    [{ config: { url: "https://hooks.example.com/x", content_type: "xml" } }, "config.content_type"],
    [{ config: { url: "https://hooks.example.com/x", insecure_ssl: "yes" } }, "config.insecure_ssl"],
    [{ config: { url: "https://hooks.example.com/x" }, events: ["push"] }, "events"],
    [{ config: { url: "https://hooks.example.com/x" }, events: [] }, "events"],
    [{ config: { url: "https://hooks.example.com/x" }, active: "yes" }, "active"],
    [{ name: "email", config: { url: "https://hooks.example.com/x" } }, "name"],
  ])("rejects %j with a 422 naming %s", async (body, field) => {
    const res = await call("/repos/acme/api/hooks", tokens.repoAdmin!, { method: "POST", body });
    expect(res.status).toBe(422);
    const json = (await res.json()) as { message: string; errors: { field: string }[] };
    expect(json.errors.map((e) => e.field)).toContain(field);
    expect(json.message).toMatch(/^Validation Failed/);
  });

  it("a body that is not JSON is 400", async () => {
    const res = await api.request(`${BASE}/repos/acme/api/hooks`, {
      method: "POST",
      headers: { authorization: `token ${tokens.repoAdmin!}`, "content-type": "application/json" },
      body: "{",
    });
    expect(res.status).toBe(400);
  });
});

describe("organization and instance hooks", () => {
  it("an owner manages organization hooks; a site administrator manages instance hooks", async () => {
    const org = await call("/orgs/acme/hooks", tokens.olive!, {
      method: "POST",
      body: { config: { url: "https://hooks.example.com/org", content_type: "form" } },
    });
    expect(org.status).toBe(201);
    expect(await org.json()).toMatchObject({
      type: "Organization",
      events: ["secret_scanning_alert", "secret_scanning_alert_location", "secret_scanning_scan"],
      config: { content_type: "form" },
    });
    expect(((await (await call("/orgs/acme/hooks", tokens.olive!)).json()) as unknown[]).length).toBe(2);
    const instance = await call("/admin/hooks", tokens.admin!, {
      method: "POST",
      body: { config: { url: "https://hooks.example.com/all", content_type: "json" }, events: ["*"] },
    });
    expect(instance.status).toBe(201);
    expect(await instance.json()).toMatchObject({ type: "Global", events: ["*"] });
  });
});
