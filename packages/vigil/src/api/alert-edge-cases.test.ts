import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreUnchangedError } from "../alerts/alert-store.js";
import { testDialects } from "../store/test-databases.js";
import { createApiFixture, type ApiFixture } from "../test-support/api-fixture.js";
import { createApi } from "./create-api.js";

/** Issue 10, items 14 and 15: concurrent resolves, alert numbers, hide_secret, comment length. */
describe.each(testDialects())("alert edge cases ($name)", ({ name, url }) => {
  const skip = name === "postgres" && !url;
  let fx: ApiFixture;
  let api: ReturnType<typeof createApi>;

  beforeAll(async () => {
    if (skip) return;
    fx = await createApiFixture({ alerts: 5, ...(url ? { url } : {}) });
    api = createApi({ store: fx.store, pushProtection: fx.pushProtection });
  });
  afterAll(async () => {
    if (!skip) await fx.close();
  });

  const call = async (path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> =>
    api.request(`http://vigil.test${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `token ${fx.tokens.admin}`, "content-type": "application/json" },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  const alerts = "/repos/acme/api/secret-scanning/alerts";

  it.skipIf(skip)(
    "two identical resolves at the same moment: one 200, one 400, one resolved event, the first comment kept",
    async () => {
      for (let round = 0; round < 5; round++) {
        const number = 1 + (round % 3);
        await call(`${alerts}/${number}`, { method: "PATCH", body: { state: "open" } });
        const before = (await fx.store.listEvents((await fx.store.getAlert(fx.repo.id, number))!.id)).length;
        const responses = await Promise.all(
          ["first", "second", "third"].map((comment) =>
            call(`${alerts}/${number}`, {
              method: "PATCH",
              body: { state: "resolved", resolution: "revoked", resolution_comment: comment },
            }),
          ),
        );
        const statuses = responses.map((r) => r.status).sort();
        expect(statuses).toEqual([200, 400, 400]);
        const winner = responses.find((r) => r.status === 200)!;
        const { resolution_comment } = (await winner.json()) as { resolution_comment: string };
        const loser = responses.find((r) => r.status === 400)!;
        expect(await loser.json()).toMatchObject({ message: "The resolution was not changed" });
        const alert = (await fx.store.getAlert(fx.repo.id, number))!;
        expect(alert.resolutionComment).toBe(resolution_comment);
        const events = await fx.store.listEvents(alert.id);
        expect(events.slice(before).map((e) => e.action)).toEqual(["resolved"]);
      }
    },
  );

  it.skipIf(skip)("the store refuses a resolve that changes nothing, inside its transaction", async () => {
    await fx.store.updateAlert(fx.repo.id, 4, { state: "resolved", resolution: "wont_fix" }, fx.users.admin.id);
    await expect(
      fx.store.updateAlert(fx.repo.id, 4, { state: "resolved", resolution: "wont_fix" }, fx.users.admin.id),
    ).rejects.toBeInstanceOf(StoreUnchangedError);
    // Another resolution is a change.
    await expect(
      fx.store.updateAlert(fx.repo.id, 4, { state: "resolved", resolution: "revoked" }, fx.users.admin.id),
    ).resolves.toMatchObject({ resolution: "revoked" });
  });

  it.skipIf(skip)("an alert number is only its canonical decimal form", async () => {
    expect((await call(`${alerts}/1`)).status).toBe(200);
    for (const number of [
      "0x1",
      "1e0",
      "01",
      "%201",
      "1%20",
      "+1",
      "1.0",
      "1.",
      "0b1",
      "0o1",
      "1_0",
      "%EF%BC%91",
      "0",
      "-1",
      "1n",
      "Infinity",
      "9007199254740993",
      "1".repeat(20),
    ]) {
      for (const suffix of ["", "/locations"]) {
        expect((await call(`${alerts}/${number}${suffix}`)).status, `${number}${suffix}`).toBe(404);
      }
      expect(
        (await call(`${alerts}/${number}`, { method: "PATCH", body: { state: "open" } })).status,
        `PATCH ${number}`,
      ).toBe(404);
    }
  });

  it.skipIf(skip)(
    "hide_secret takes true or false on get-alert as on the list; any other value is 422 on both",
    async () => {
      const one = `${alerts}/2`;
      expect(await (await call(`${one}?hide_secret=true`)).json()).not.toHaveProperty("secret");
      expect(await (await call(`${one}?hide_secret=false`)).json()).toHaveProperty("secret");
      expect(await (await call(one)).json()).toHaveProperty("secret");
      for (const value of ["1", "0", "yes", "TRUE", "True", "on", "true%00"]) {
        const get = await call(`${one}?hide_secret=${value}`);
        const list = await call(`${alerts}?hide_secret=${value}`);
        expect([get.status, list.status], value).toEqual([422, 422]);
        const body = (await get.json()) as { message: string; errors: { field: string }[] };
        expect(body.errors[0]?.field).toBe("hide_secret");
        expect(JSON.stringify(body)).not.toMatch(/ghp_/);
      }
    },
  );

  it.skipIf(skip)("the 280-character comment limit counts characters, not UTF-16 units", async () => {
    const number = 5;
    const astral = "🔑".repeat(280); // 280 characters, 560 UTF-16 units
    const ok = await call(`${alerts}/${number}`, {
      method: "PATCH",
      body: { state: "resolved", resolution: "false_positive", resolution_comment: astral },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { resolution_comment: string }).resolution_comment).toBe(astral);
    await call(`${alerts}/${number}`, { method: "PATCH", body: { state: "open" } });
    const combining = "e\u0301".repeat(141); // 282 code points
    const tooLong = await call(`${alerts}/${number}`, {
      method: "PATCH",
      body: { state: "resolved", resolution: "false_positive", resolution_comment: "🔑".repeat(281) },
    });
    expect(tooLong.status).toBe(400);
    expect(
      (
        await call(`${alerts}/${number}`, {
          method: "PATCH",
          body: { state: "resolved", resolution: "false_positive", resolution_comment: combining },
        })
      ).status,
    ).toBe(400);
    expect((await fx.store.getAlert(fx.repo.id, number))!.state).toBe("open");
  });
});

/** Issue 10, item 15: a login or name with a NUL byte or any control character, anywhere it can be given. */
describe.each(testDialects())("control characters in names ($name)", ({ name, url }) => {
  const skip = name === "postgres" && !url;
  let fx: ApiFixture;
  let api: ReturnType<typeof createApi>;
  beforeAll(async () => {
    if (skip) return;
    fx = await createApiFixture({ alerts: 1, ...(url ? { url } : {}) });
    api = createApi({
      store: fx.store,
      pushProtection: fx.pushProtection,
      registerRepository: () => Promise.reject(new Error("not reached")),
    });
  });
  afterAll(async () => {
    if (!skip) await fx.close();
  });
  const call = async (path: string, method = "GET", body?: unknown): Promise<Response> =>
    api.request(`http://vigil.test${path}`, {
      method,
      headers: { authorization: `token ${fx.tokens.admin}`, "content-type": "application/json" },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it.skipIf(skip)("is refused (404 or 422), never a server error, in every place a login or name is read", async () => {
    for (const bad of ["%00", "%01", "%0A", "%0D", "%1B", "%7F", "%C2%85"]) {
      const checks: [string, string, unknown?, number[]?][] = [
        ["GET", `/repos/ac${bad}me/api/secret-scanning/alerts`],
        ["GET", `/repos/acme/ap${bad}i/secret-scanning/alerts/1`],
        ["GET", `/repos/acme${bad}/api`],
        ["GET", `/orgs/ac${bad}me/secret-scanning/alerts`],
        ["PATCH", `/orgs/ac${bad}me`, {}],
        // NUL: 404 in a path, 422 in a query value, wherever it is; other control characters fail the name's rules.
        ["POST", `/orgs/ac${bad}me/repos`, { name: "x" }, [404, 422]],
        ["GET", `/repos/acme/api/secret-scanning/alerts?assignee=de${bad}ve`, undefined, [200, 422]],
        ["POST", "/orgs/acme/repos", { name: `x${decodeURIComponent(bad)}` }, [400, 422]],
        [
          "PATCH",
          "/repos/acme/api/secret-scanning/alerts/1",
          { assignee: `da${decodeURIComponent(bad)}ve` },
          [400, 422],
        ],
      ];
      for (const [method, path, body, allowed] of checks) {
        const res = await call(path, method, body);
        expect(allowed ?? [404], `${method} ${path}`).toContain(res.status);
      }
    }
    expect((await fx.store.listOrganizations()).map((o) => o.login)).toEqual(["acme"]);
  });
});

describe.each(testDialects())("NUL bytes in values ($name)", ({ name, url }) => {
  const skip = name === "postgres" && !url;
  let fx: ApiFixture;
  let api: ReturnType<typeof createApi>;
  beforeAll(async () => {
    if (skip) return;
    fx = await createApiFixture({ alerts: 1, ...(url ? { url } : {}) });
    api = createApi({ store: fx.store, pushProtection: fx.pushProtection });
  });
  afterAll(async () => {
    if (!skip) await fx.close();
  });
  const call = async (path: string, method = "GET", body?: unknown): Promise<Response> =>
    api.request(`http://vigil.test${path}`, {
      method,
      headers: { authorization: `token ${fx.tokens.admin}`, "content-type": "application/json" },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it.skipIf(skip)("a NUL byte in a query value or a JSON string is a client error, never a 500", async () => {
    const alerts = "/repos/acme/api/secret-scanning/alerts";
    const checks: [string, string, unknown?][] = [
      ["GET", `${alerts}?secret_type=a%00b`],
      ["GET", `${alerts}?providers=a%00b`],
      ["GET", `${alerts}?after=a%00b`],
      ["GET", `${alerts}?state=open%00`],
      ["PATCH", `${alerts}/1`, { state: "resolved", resolution: "revoked", resolution_comment: "a\u0000b" }],
      ["PATCH", "/orgs/acme", { secret_scanning_push_protection_custom_link: "https://x.example/\u0000" }],
      [
        "POST",
        "/repos/acme/api/secret-scanning/push-protection-bypasses",
        { reason: "used_in_tests", placeholder_id: "a\u0000b" },
      ],
      [
        "PATCH",
        "/orgs/acme/secret-scanning/pattern-configurations",
        { provider_pattern_settings: [{ token_type: "A\u0000", push_protection_setting: "enabled" }] },
      ],
    ];
    for (const [method, path, body] of checks) {
      const res = await call(path, method, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
    }
    expect((await fx.store.getAlert(fx.repo.id, 1))!.state).toBe("open");
  });
});
