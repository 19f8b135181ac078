import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type OpenedStore } from "../store/index.js";
import { createApiFixture, type ApiFixture } from "../test-support/api-fixture.js";
import { createApi } from "./create-api.js";

let fx: ApiFixture;
let opened: OpenedStore;
let api: ReturnType<typeof createApi>;

beforeAll(async () => {
  fx = await createApiFixture({ alerts: 1 });
  // The fixture's store and a partner store over the same data directory and key.
  opened = await openStore({ dataDir: fx.dataDir, env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 7).toString("base64") } });
  api = createApi({ store: fx.store, partners: opened.partners });
});
afterAll(async () => {
  await opened.close();
  await fx.close();
});

const call = (method: string, path: string, token: string | null, body?: unknown): Promise<Response> => {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `token ${token}`;
  return Promise.resolve(
    api.request(`http://vigil.test${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }),
  );
};

const PARTNERS = "/admin/secret-scanning/partners";
const pypi = { name: "pypi", url: "https://pypi.example/github/disclose-token", secret_types: ["pypi_api_token"] };

describe("partner administration (site administrators)", () => {
  const routes: [string, string, unknown?][] = [
    ["GET", PARTNERS],
    ["POST", PARTNERS, pypi],
    ["DELETE", `${PARTNERS}/pypi`],
    ["POST", "/admin/secret-scanning/partner-keys"],
  ];

  it.each(routes)(
    "%s %s is 401 anonymous, 404 for anyone but a site admin, 403 for a site admin's token without site_admin",
    async (method, path, body) => {
      expect((await call(method, path, null, body)).status).toBe(401);
      expect((await call(method, path, fx.tokens.repoAdmin, body)).status).toBe(404);
      expect((await call(method, path, fx.tokens.securityManager, body)).status).toBe(404);
      const admin = await fx.store.getUserByLogin("admin");
      const { token } = await fx.store.createToken({ userId: admin!.id, scopes: ["repo"] });
      expect((await call(method, path, token, body)).status).toBe(403);
      expect(await opened.partners.listPartners()).toEqual([]);
    },
  );

  it("registers, lists and removes a partner; rejects bad input with 422 naming the field", async () => {
    const created = await call("POST", PARTNERS, fx.tokens.admin, pypi);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      name: "pypi",
      url: pypi.url,
      secret_types: ["pypi_api_token"],
      report_all_repositories: false,
    });
    expect((await (await call("GET", PARTNERS, fx.tokens.admin)).json()) as unknown[]).toHaveLength(1);
    const dup = await call("POST", PARTNERS, fx.tokens.admin, pypi);
    expect(dup.status).toBe(422);
    expect(await dup.json()).toMatchObject({ errors: [{ field: "name", code: "already_exists" }] });
    for (const [field, bad] of [
      ["url", { ...pypi, name: "x", url: "ftp://nope" }],
      ["secret_types", { ...pypi, name: "x", secret_types: [] }],
      ["secret_types", { ...pypi, name: "x", secret_types: ["Not A Slug"] }],
      ["name", { ...pypi, name: "../x" }],
      ["report_all_repositories", { ...pypi, name: "x", report_all_repositories: "yes" }],
    ] as const) {
      const res = await call("POST", PARTNERS, fx.tokens.admin, bad);
      expect(res.status, field).toBe(422);
      expect(await res.json()).toMatchObject({ errors: [{ field }] });
    }
    expect((await call("POST", PARTNERS, fx.tokens.admin, "[1]")).status).toBe(400);
    expect((await call("DELETE", `${PARTNERS}/pypi`, fx.tokens.admin)).status).toBe(204);
    expect((await call("DELETE", `${PARTNERS}/pypi`, fx.tokens.admin)).status).toBe(404);
  });

  it("rotates the signing key: the new key is current, the old one still published", async () => {
    const before = await opened.partners.listSigningKeys();
    expect(before.filter((k) => k.isCurrent)).toHaveLength(1);
    const res = await call("POST", "/admin/secret-scanning/partner-keys", fx.tokens.admin);
    expect(res.status).toBe(201);
    const { public_keys } = (await res.json()) as {
      public_keys: { key_identifier: string; key: string; is_current: boolean }[];
    };
    expect(public_keys).toHaveLength(before.length + 1);
    expect(public_keys[0]).toMatchObject({ is_current: true, key: expect.stringContaining("BEGIN PUBLIC KEY") });
    expect(public_keys.filter((k) => k.is_current)).toHaveLength(1);
    expect(public_keys.map((k) => k.key_identifier)).toContain(before[0]!.keyIdentifier);
    // The private key is stored sealed, never as PEM.
    const rows = await opened.db.selectFrom("partner_signing_keys").select("private_key_ciphertext").execute();
    for (const row of rows) expect(row.private_key_ciphertext).not.toContain("PRIVATE KEY");
    expect((await opened.partners.currentSigningKey()).keyIdentifier).toBe(public_keys[0]!.key_identifier);
  });
});
