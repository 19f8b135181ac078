import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { ExampleRandom } from "vigil-secrets-engine";
import { SMTPServer } from "smtp-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Repository, User } from "../alerts/types.js";
import { createApi } from "../api/create-api.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { detection } from "../test-support/api-fixture.js";
import { createWebhookDispatcher } from "./dispatcher.js";

const KEY = { VIGIL_SECRET_KEY: Buffer.alloc(32, 4).toString("base64") };
const BASE = "http://vigil.test";

interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

describe.each(testDialects())("notification sinks on $name", (dialect) => {
  const skip = dialect.name === "postgres" && !dialect.url;
  const random = new ExampleRandom(dialect.name === "sqlite" ? 91 : 92);
  let t: TestStore;
  let api: ReturnType<typeof createApi>;
  let apiRepo: Repository;
  let webRepo: Repository;
  let dev: User;
  const tokens: Record<string, string> = {};
  const hits: Hit[] = [];
  const mails: string[] = [];
  let http: ReturnType<typeof createServer>;
  let smtp: SMTPServer;
  let httpBase: string;
  let smtpPort: number;

  beforeEach(async () => {
    if (skip) return;
    hits.length = 0;
    mails.length = 0;
    t = await openTestStore(dialect, { env: KEY });
    api = createApi({ store: t.store, webhooks: t.webhooks });
    apiRepo = await t.store.createRepository({
      owner: "acme",
      name: "api",
      sourceUrl: null,
      mirrorPath: "/tmp/none-api",
    });
    webRepo = await t.store.createRepository({
      owner: "acme",
      name: "web",
      sourceUrl: null,
      mirrorPath: "/tmp/none-web",
    });
    dev = await t.store.createUser({ login: "dev" });
    for (const [login, scopes, role] of [
      ["owner", ["admin:org_hook"], "owner"],
      ["scopeless", ["repo"], "owner"],
      ["member", ["admin:org_hook"], "member"],
    ] as const) {
      const user = await t.store.createUser({ login });
      await t.store.setOrgRole(apiRepo.orgId, user.id, role);
      tokens[login] = (await t.store.createToken({ userId: user.id, scopes: [...scopes] })).token;
    }
    http = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        hits.push({
          path: request.url ?? "/",
          headers: request.headers,
          body,
          json: JSON.parse(body) as Record<string, unknown>,
        });
        // Splunk HEC answers this; Slack "ok"; Teams 202.
        if (request.url?.startsWith("/services/collector"))
          response.writeHead(200, { "content-type": "application/json" }).end('{"text":"Success","code":0}');
        else response.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    httpBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, _session, callback) {
        let text = "";
        stream.on("data", (c: Buffer) => (text += c.toString("utf8")));
        stream.on("end", () => {
          mails.push(text);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    if (skip) return;
    await new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    });
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await t.dispose();
  });

  const call = (path: string, token: string | null, method = "GET", body?: unknown) =>
    Promise.resolve(
      api.request(`${BASE}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `token ${token}` } : {}),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
  const addSink = async (body: Record<string, unknown>) => {
    const res = await call("/orgs/acme/notification-sinks", tokens.owner!, "POST", body);
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as Record<string, unknown> & { id: number };
  };

  it.skipIf(skip)(
    "Slack, Teams, JSON, Splunk and email each get their format, filtered, with the masked secret and a link, never the secret",
    async () => {
      const slackUrl = `${httpBase}/slack/services/T0000/B0000/${random.alnum(24)}`;
      const hecToken = crypto.randomUUID();
      const slack = await addSink({
        type: "slack",
        url: slackUrl,
        filters: { events: ["secret_scanning_alert.created"] },
      });
      await addSink({
        type: "teams",
        url: `${httpBase}/teams/${random.alnum(16)}`,
        filters: { repositories: ["acme/web"] },
      });
      await addSink({ type: "json", url: `${httpBase}/json`, token: "json-bearer", filters: { bypass_only: true } });
      const splunk = await addSink({ type: "splunk", url: `${httpBase}/services/collector/event`, token: hecToken });
      await addSink({
        type: "email",
        url: `smtp://127.0.0.1:${smtpPort}`,
        to: ["security@example.com"],
        from: "vigil@example.com",
        filters: { secret_types: ["github_personal_access_token"] },
      });
      // The Slack URL is a credential: the API shows only its origin.
      expect(JSON.stringify(slack)).not.toContain("/services/T0000");
      expect(slack).toMatchObject({ type: "slack", has_credential: true, target: `${httpBase}/…` });

      const secrets = [random.githubToken("ghp"), random.githubToken("ghp"), random.githubToken("ghp")];
      await t.store.recordDetections(apiRepo.id, [
        detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secrets[0]!, "a.env", 1),
      ]);
      await t.store.recordDetections(
        apiRepo.id,
        [detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secrets[1]!, "b.env", 2)],
        { actorId: dev.id, bypass: { reason: "will_fix_later", userId: dev.id, at: new Date().toISOString() } },
      );
      await t.store.recordDetections(webRepo.id, [
        detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secrets[2]!, "c.env", 3),
      ]);
      await t.store.updateAlert(apiRepo.id, 1, { state: "resolved", resolution: "revoked" }, dev.id);

      const dispatcher = createWebhookDispatcher({
        store: t.store,
        webhooks: t.webhooks,
        urls: () => ({ web: "https://vigil.example", api: "https://vigil.example/api/v3" }),
        allowPrivate: true,
      });
      await dispatcher.runOnce();
      await dispatcher.runOnce();
      await dispatcher.close();

      const at = (prefix: string) => hits.filter((h) => h.path.startsWith(prefix));
      for (const hit of hits) for (const secret of secrets) expect(hit.body).not.toContain(secret);
      for (const mail of mails) for (const secret of secrets) expect(mail).not.toContain(secret);

      // Slack: created only (3), incoming-webhook JSON with blocks and a button to the alert.
      // Deliveries keep their order per alert, not across alerts: look each message up by its text.
      const slackHits = at("/slack/");
      expect(slackHits).toHaveLength(3);
      const slackTexts = slackHits.map((h) => (h.json as { text: string }).text);
      expect([...slackTexts].sort()).toEqual([
        "acme/api: GitHub Personal Access Token alert #1 detected",
        "acme/api: GitHub Personal Access Token alert #2 pushed through push protection",
        "acme/web: GitHub Personal Access Token alert #1 detected",
      ]);
      const first = slackHits[slackTexts.indexOf("acme/api: GitHub Personal Access Token alert #1 detected")]!.json as {
        text: string;
        blocks: { type: string; fields?: { text: string }[]; elements?: { url: string }[] }[];
      };
      expect(first.blocks.map((b) => b.type)).toEqual(["header", "section", "actions"]);
      expect(first.blocks[1]!.fields!.map((f) => f.text)).toContain(
        `*Secret*\n${secrets[0]!.slice(0, 4)}${"*".repeat(32)}`,
      );
      expect(first.blocks[2]!.elements![0]!.url).toBe("https://vigil.example/acme/api/security/secret-scanning/1");

      // Teams: acme/web only, an Adaptive Card.
      const teamsHits = at("/teams/");
      expect(teamsHits).toHaveLength(1);
      expect(teamsHits[0]!.json).toMatchObject({
        type: "message",
        attachments: [
          {
            contentType: "application/vnd.microsoft.card.adaptive",
            content: {
              type: "AdaptiveCard",
              version: "1.4",
              actions: [{ type: "Action.OpenUrl", url: "https://vigil.example/acme/web/security/secret-scanning/1" }],
            },
          },
        ],
      });

      // JSON: the bypass only, with its bearer token.
      const jsonHits = at("/json");
      expect(jsonHits).toHaveLength(1);
      expect(jsonHits[0]!.headers.authorization).toBe("Bearer json-bearer");
      expect(jsonHits[0]!.json).toMatchObject({
        event: "secret_scanning_alert",
        action: "created",
        repository: "acme/api",
        alert_number: 2,
        push_protection_bypassed: true,
        push_protection_bypassed_by: "dev",
      });

      // Splunk HEC: everything (4 events), `Authorization: Splunk <token>`, the event envelope.
      const hec = at("/services/collector/event");
      expect(hec).toHaveLength(4);
      expect(hec[0]!.headers.authorization).toBe(`Splunk ${hecToken}`);
      expect(hec.map((h) => (h.json.event as { action: string }).action).sort()).toEqual([
        "created",
        "created",
        "created",
        "resolved",
      ]);
      expect(hec[0]!.json).toMatchObject({
        host: "vigil",
        source: "vigil",
        sourcetype: "vigil:secret_scanning",
        event: { secret_type: "github_personal_access_token" },
      });
      expect(typeof hec[0]!.json.time).toBe("number");

      // Email: every event of the type, a subject and a link.
      expect(mails).toHaveLength(4);
      // Long header lines are folded (RFC 5322); unfold before reading.
      expect(mails.join("\n").replace(/\r?\n[ \t]+/g, " ")).toContain(
        "Subject: [Vigil] acme/api: GitHub Personal Access Token alert #1 resolved as revoked",
      );
      // The body is quoted-printable: soft line breaks (`=` at a line's end) fall where the text's length puts them.
      expect(mails[0]!.replace(/=\r?\n/g, "")).toContain("View the alert: https://vigil.example/acme/");
      expect(mails[0]).toContain("To: security@example.com");

      // The log never keeps a sink's credential.
      const log = await t.webhooks.listDeliveries(splunk.id, { perPage: 10 });
      expect(log.every((d) => d.status === "delivered" && d.requestHeaders!.Authorization === "********")).toBe(true);
      expect(
        JSON.stringify(
          await (await call(`/orgs/acme/notification-sinks/${splunk.id}/deliveries`, tokens.owner!)).json(),
        ),
      ).not.toContain(hecToken);
    },
  );

  it.skipIf(skip)("only owners manage sinks (401, 404, 403); bad bodies are 422s naming the field", async () => {
    expect((await call("/orgs/acme/notification-sinks", null)).status).toBe(401);
    expect((await call("/orgs/acme/notification-sinks", tokens.member!)).status).toBe(404);
    expect((await call("/orgs/nowhere/notification-sinks", tokens.owner!)).status).toBe(404);
    expect((await call("/orgs/acme/notification-sinks", tokens.scopeless!)).status).toBe(403);
    const sink = await addSink({ type: "json", url: `${httpBase}/json` });
    for (const [method, path] of [
      ["GET", `/orgs/acme/notification-sinks/${sink.id}`],
      ["PATCH", `/orgs/acme/notification-sinks/${sink.id}`],
      ["DELETE", `/orgs/acme/notification-sinks/${sink.id}`],
      ["GET", `/orgs/acme/notification-sinks/${sink.id}/deliveries`],
    ] as const) {
      expect((await call(path, null, method, method === "PATCH" ? {} : undefined)).status).toBe(401);
      expect((await call(path, tokens.member!, method, method === "PATCH" ? {} : undefined)).status).toBe(404);
      expect((await call(path, tokens.scopeless!, method, method === "PATCH" ? {} : undefined)).status).toBe(403);
    }
    // A sink is not a webhook: the hook routes do not show it.
    expect((await call(`/orgs/acme/hooks/${sink.id}`, tokens.owner!)).status).toBe(404);
    const patched = await call(`/orgs/acme/notification-sinks/${sink.id}`, tokens.owner!, "PATCH", {
      active: false,
      filters: { bypass_only: true },
    });
    expect(await patched.json()).toMatchObject({ active: false, filters: { bypass_only: true } });
    for (const [body, field] of [
      [{ url: `${httpBase}/x` }, "type"],
      [{ type: "pager", url: `${httpBase}/x` }, "type"],
      [{ type: "slack" }, "url"],
      [{ type: "splunk", url: `${httpBase}/services/collector/event` }, "token"],
      [{ type: "email", url: "smtp://mail.example.com:25" }, "to"],
      [{ type: "email", url: "http://mail.example.com", to: ["a@example.com"] }, "url"],
      [{ type: "json", url: `${httpBase}/x`, filters: { events: ["push"] } }, "filters.events"],
      [{ type: "json", url: `${httpBase}/x`, filters: { repositories: ["no-slash"] } }, "filters.repositories"],
      [{ type: "json", url: `${httpBase}/x`, filters: { bypass_only: "yes" } }, "filters.bypass_only"],
    ] as const) {
      const res = await call("/orgs/acme/notification-sinks", tokens.owner!, "POST", body);
      expect(res.status).toBe(422);
      expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(field);
    }
    expect((await call(`/orgs/acme/notification-sinks/${sink.id}`, tokens.owner!, "DELETE")).status).toBe(204);
    expect((await call(`/orgs/acme/notification-sinks/${sink.id}`, tokens.owner!)).status).toBe(404);
  });
});
