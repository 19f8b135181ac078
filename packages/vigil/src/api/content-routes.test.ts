import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordContent } from "../content/content-scanner.js";
import { defaultConfig } from "../config/config.js";
import { buildMatcher, matcherSettingsFromConfig } from "../scan/matcher-settings.js";
import { createApiFixture, type ApiFixture } from "../test-support/api-fixture.js";
import { synthesisePypiToken } from "../test-support/pypi-token.js";
import { createApi } from "./create-api.js";

let fx: ApiFixture;
let api: ReturnType<typeof createApi>;
const matcher = buildMatcher(matcherSettingsFromConfig(defaultConfig()));

beforeAll(async () => {
  fx = await createApiFixture({ alerts: 1 });
  api = createApi({ store: fx.store, recordContent: (repo, items) => recordContent(fx.store, matcher, repo, items) });
});
afterAll(async () => fx.close());

const PATH = "/repos/acme/api/secret-scanning/content";
const post = (token: string | null, body: unknown): Promise<Response> =>
  Promise.resolve(
    api.request(`http://vigil.test${PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `token ${token}` } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );

describe("POST /repos/{owner}/{repo}/secret-scanning/content", () => {
  it("scans any text with its location descriptor and records alerts before answering", async () => {
    const ci = synthesisePypiToken();
    const ticket = synthesisePypiToken();
    const res = await post(fx.tokens.repoAdmin, {
      items: [
        {
          type: "content",
          details: { url: "https://ci.example/jobs/42/log", source: "ci_log", line: 1200 },
          text: `Uploading with TWINE_PASSWORD=${ci}`,
        },
        {
          type: "issue_comment",
          details: {
            issue_comment_url: "https://tickets.example/api/comments/7",
            html_url: "https://tickets.example/T-7#c7",
          },
          texts: ["redacted", `first version: ${ticket}`],
        },
        { type: "content", details: { url: "https://chat.example/export/1" }, text: "nothing here" },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { findings: number; alerts_created: number[] };
    expect(body).toMatchObject({ findings: 2, locations_added: 2 });
    const created = await Promise.all(body.alerts_created.map((n) => fx.store.getAlert(fx.repo.id, n)));
    expect(created.map((a) => [a!.secret, a!.firstLocation?.type])).toEqual([
      [ci, "content"],
      [ticket, "issue_comment"],
    ]);
    expect(created[0]!.firstLocation?.details).toEqual({
      url: "https://ci.example/jobs/42/log",
      source: "ci_log",
      line: 1200,
    });
  });

  it("rejects a malformed submission with 422 naming the field, recording nothing", async () => {
    const token = synthesisePypiToken();
    const cases: [unknown, string][] = [
      [{}, "items"],
      [{ items: [] }, "items"],
      [{ items: [{ type: "commit", details: { url: "https://x.example" }, text: token }] }, "items[0].type"],
      [{ items: [{ type: "content", details: {}, text: token }] }, "items[0].details.url"],
      [
        { items: [{ type: "issue_comment", details: { url: "https://x.example" }, text: token }] },
        "items[0].details.issue_comment_url",
      ],
      [
        { items: [{ type: "content", details: { url: "https://x.example", nested: { a: 1 } }, text: token }] },
        "items[0].details.nested",
      ],
      [{ items: [{ type: "content", details: { url: "https://x.example" } }] }, "items[0].text"],
      [{ items: [{ type: "content", details: { url: "https://x.example" }, texts: [1] }] }, "items[0].texts"],
    ];
    for (const [body, field] of cases) {
      const res = await post(fx.tokens.repoAdmin, body);
      expect(res.status, field).toBe(422);
      expect(await res.json(), field).toMatchObject({ errors: [{ field }] });
    }
    expect(await fx.store.hasAlertForSecret(fx.repo.id, "pypi_api_token", token)).toBe(false);
    expect((await post(fx.tokens.repoAdmin, "{oops")).status).toBe(400);
  });

  it("is 401 anonymous, 404 for a reader or another repository's outsider, 403 without an alert scope", async () => {
    const body = { items: [{ type: "content", details: { url: "https://x.example" }, text: "x" }] };
    expect((await post(null, body)).status).toBe(401);
    expect((await post(fx.tokens.reader, body)).status).toBe(404);
    expect((await post(fx.tokens.writer, body)).status).toBe(404);
    expect((await post(fx.tokens.scopeless, body)).status).toBe(403);
  });
});
