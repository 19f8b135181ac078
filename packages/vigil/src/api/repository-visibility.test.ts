import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiFixture, type ApiFixture } from "../test-support/api-fixture.js";
import { createApi } from "./create-api.js";

let fx: ApiFixture;
let api: ReturnType<typeof createApi>;

beforeAll(async () => {
  fx = await createApiFixture({ alerts: 2 });
  api = createApi({ store: fx.store });
});
afterAll(async () => fx.close());

const patch = (token: string, body: unknown): Promise<Response> =>
  Promise.resolve(
    api.request("http://vigil.test/repos/acme/api", {
      method: "PATCH",
      headers: { authorization: `token ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );

describe("repository visibility", () => {
  it("a repository admin makes a repository public with GitHub's fields; its alerts become publicly leaked", async () => {
    const res = await patch(fx.tokens.repoAdmin, { visibility: "public" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ full_name: "acme/api", private: false });
    const alert = await api.request("http://vigil.test/repos/acme/api/secret-scanning/alerts/1", {
      headers: { authorization: `token ${fx.tokens.admin}` },
    });
    expect(await alert.json()).toMatchObject({ publicly_leaked: true });
    const back = await patch(fx.tokens.repoAdmin, { private: true });
    expect(await back.json()).toMatchObject({ private: true });
  });

  it("rejects a wrong visibility with 422 naming the field, and changes nothing", async () => {
    const res = await patch(fx.tokens.repoAdmin, { visibility: "internal-ish" });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ errors: [{ field: "visibility", code: "invalid" }] });
    expect((await patch(fx.tokens.repoAdmin, { private: "no" })).status).toBe(422);
    expect((await fx.store.getRepository("acme", "api"))!.isPublic).toBe(false);
  });

  it("is 401 anonymous, 404 for a reader, 403 without the repo scope", async () => {
    expect(
      (await Promise.resolve(api.request("http://vigil.test/repos/acme/api", { method: "PATCH", body: "{}" }))).status,
    ).toBe(401);
    expect((await patch(fx.tokens.reader, { visibility: "public" })).status).toBe(404);
    expect((await patch(fx.tokens.scopeless, { visibility: "public" })).status).toBe(403);
  });
});
