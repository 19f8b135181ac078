import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { sql } from "kysely";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMetrics, type VigilMetrics } from "../metrics/vigil-metrics.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { detection } from "../test-support/api-fixture.js";
import { startWebhookReceiver } from "../test-support/webhook-receiver.js";
import { createLogger } from "./create-logger.js";
import { createServer, type VigilServer } from "./create-server.js";
import { scanRepositoryHistory } from "./scan-repository-history.js";

const random = new ExampleRandom(0x0b5);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A sample's value in Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/** A git repository with one commit holding `content` in `path`. */
function gitRepository(dir: string, path: string, content: string): string {
  execFileSync("git", ["init", "-q", "-b", "main", dir]);
  writeFileSync(join(dir, path), content);
  execFileSync("git", ["-C", dir, "add", "."]);
  execFileSync("git", ["-C", dir, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-qm", "init"]);
  return dir;
}

describe.each(testDialects())("health, readiness and metrics ($name)", (dialect) => {
  if (dialect.name === "postgres" && !dialect.url) {
    it.skip("PostgreSQL suite skipped: set VIGIL_TEST_POSTGRES_URL to run it", () => {});
    return;
  }
  let opened: TestStore;
  let server: VigilServer;
  let metrics: VigilMetrics;
  let work: string;
  let logLines: string[];
  const metricsToken = random.alnum(32);

  const start = (extra: Partial<Parameters<typeof createServer>[0]> = {}): VigilServer => {
    logLines = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
        done();
      },
    });
    metrics = createMetrics({ processMetrics: false });
    server = createServer({
      store: opened.store,
      pushProtection: opened.pushProtection,
      storeEnv: { VIGIL_DATA_DIR: opened.dataDir },
      dataDir: opened.dataDir,
      scanHistory: scanRepositoryHistory,
      log: createLogger({ level: "info", destination: sink }),
      metrics,
      health: opened.health,
      metricsToken,
      ...extra,
    });
    return server;
  };
  const get = (path: string, token?: string): Promise<Response> =>
    Promise.resolve(server.app.request(`http://vigil.test${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {}));

  beforeEach(async () => {
    opened = await openTestStore(dialect);
    work = mkdtempSync(join(tmpdir(), "vigil-obs-"));
  });
  afterEach(async () => {
    await server.close();
    await opened.dispose().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  it("/healthz answers without a token or details; /readyz is ready while the store answers and its schema is current", async () => {
    start();
    const health = await get("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await get("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { store: "ok", migrations: "ok" } });

    // A schema older than this process (a migration not applied): not ready, and the log says which.
    await sql`delete from vigil_migration where name = '0011-validity-checks'`.execute(opened.db);
    const older = await get("/readyz");
    expect(older.status).toBe(503);
    expect(await older.json()).toEqual({ status: "not_ready", checks: { store: "ok", migrations: "pending_migrations" } });
    expect(logLines.some((l) => l.includes("0011-validity-checks") && l.includes("not ready"))).toBe(true);
  });

  it("/readyz is 503 once the store cannot be reached, and /healthz still 200 (the process lives)", async () => {
    start();
    expect((await get("/readyz")).status).toBe(200);
    await opened.db.destroy();
    const res = await get("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "not_ready", checks: { store: "failed" } });
    expect((await get("/healthz")).status).toBe(200);
  });

  it("/readyz checks Redis when one is configured: 503 while it does not answer", async () => {
    start({ redisUrl: `redis://:${random.alnum(20)}@127.0.0.1:${await closedPort()}` });
    const res = await get("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "not_ready", checks: { store: "ok", redis: "failed" } });
    // The reason is logged without the URL's password.
    const line = logLines.find((l) => l.includes('"check":"redis"'));
    expect(line).toMatch(/ECONNREFUSED/);
    expect(line).not.toMatch(/redis:\/\//);
  });

  it.skipIf(!process.env.VIGIL_TEST_REDIS_URL)("/readyz is ready with a Redis that answers PING", async () => {
    start({ redisUrl: process.env.VIGIL_TEST_REDIS_URL! });
    const res = await get("/readyz");
    expect(await res.json()).toEqual({ status: "ready", checks: { store: "ok", migrations: "ok", redis: "ok" } });
  });

  it("/metrics is for site administrators' tokens with site_admin, and the metrics token, which opens nothing else", async () => {
    start();
    const { store } = opened;
    const admin = await store.createUser({ login: "root", siteAdmin: true });
    const member = await store.createUser({ login: "member" });
    const adminToken = (await store.createToken({ userId: admin.id, scopes: ["site_admin"] })).token;
    const adminNoScope = (await store.createToken({ userId: admin.id, scopes: ["repo"] })).token;
    const memberToken = (await store.createToken({ userId: member.id, scopes: ["repo", "site_admin"] })).token;
    expect((await get("/metrics")).status).toBe(401);
    expect((await get("/metrics", "vgl_" + "0".repeat(36))).status).toBe(401);
    expect((await get("/metrics", memberToken)).status).toBe(404);
    expect((await get("/metrics", adminNoScope)).status).toBe(403);
    const ok = await get("/metrics", adminToken);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await get("/metrics", metricsToken)).status).toBe(200);
    expect((await get("/api/v3/user", metricsToken)).status).toBe(401);
    expect((await get("/metrics", metricsToken.slice(0, -1))).status).toBe(401);
  });

  it("counts requests by route template (never the path), scans by source, jobs, and alerts by state", async () => {
    start();
    const { store } = opened;
    const admin = await store.createUser({ login: "root", siteAdmin: true });
    const token = (await store.createToken({ userId: admin.id, scopes: ["site_admin", "repo", "security_events"] })).token;
    const secret = random.githubToken("ghp");
    const source = gitRepository(join(work, "source"), "config.env", `GITHUB_TOKEN=${secret}\n`);
    const repo = await server.repositories.register({ owner: "acme", name: "api", sourceUrl: source });
    await server.runner.idle();
    await store.recordDetections(repo.id, [
      detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", random.githubToken("ghp"), "b.env", 1),
      detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", random.githubToken("ghp"), "c.env", 1),
    ]);
    const alerts = await store.listAlerts({ repoIds: [repo.id], sort: "created", direction: "asc", perPage: 10, page: 1 });
    expect(alerts.alerts.length).toBe(3);
    await store.updateAlert(repo.id, alerts.alerts[0]!.number, { state: "resolved", resolution: "revoked" }, admin.id);
    const text1 = `ci log: GITHUB_TOKEN=${random.githubToken("ghp")}`;
    const posted = await server.app.request("http://vigil.test/api/v3/repos/acme/api/secret-scanning/content", {
      method: "POST",
      headers: { authorization: `token ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ items: [{ type: "content", details: { url: "https://ci.example/jobs/1", source: "ci_log", line: 1 }, text: text1 }] }),
    });
    expect(await posted.json()).toMatchObject({ findings: 1 });
    for (let i = 0; i < 3; i++) expect((await get("/api/v3/repos/acme/api/secret-scanning/alerts", token)).status).toBe(200);
    expect((await get("/api/v3/repos/acme/nope/secret-scanning/alerts", token)).status).toBe(404);
    expect((await get("/no/such/page", token)).status).toBe(404);

    const text = await (await get("/metrics", token)).text();
    const route = "/api/v3/repos/:owner/:repo/secret-scanning/alerts";
    expect(sample(text, "vigil_http_request_duration_seconds_count", { method: "GET", route, status: "200" })).toBe(3);
    expect(sample(text, "vigil_http_request_duration_seconds_count", { method: "GET", route, status: "404" })).toBe(1);
    expect(sample(text, "vigil_http_request_duration_seconds_count", { route: "unmatched", status: "404" })).toBe(1);
    expect(text).not.toContain("acme");
    expect(sample(text, "vigil_scans_total", { source: "git_history", outcome: "completed" })).toBe(1);
    expect(sample(text, "vigil_scan_bytes_total", { source: "git_history" })).toBeGreaterThanOrEqual(`GITHUB_TOKEN=${secret}\n`.length);
    expect(sample(text, "vigil_scan_findings_total", { source: "git_history" })).toBe(1);
    expect(sample(text, "vigil_scan_bytes_per_second_count", { source: "git_history" })).toBe(1);
    expect(sample(text, "vigil_jobs_total", { kind: "history-scan", outcome: "completed" })).toBe(1);
    expect(sample(text, "vigil_scans_total", { source: "content", outcome: "completed" })).toBe(1);
    expect(sample(text, "vigil_scan_bytes_total", { source: "content" })).toBe(Buffer.byteLength(text1));
    expect(sample(text, "vigil_scan_findings_total", { source: "content" })).toBe(1);
    expect(sample(text, "vigil_job_duration_seconds_count", { kind: "history-scan", outcome: "completed" })).toBe(1);
    expect(sample(text, "vigil_alerts", { state: "open", resolution: "" })).toBe(3);
    expect(sample(text, "vigil_alerts", { state: "resolved", resolution: "revoked" })).toBe(1);
    expect(text).not.toContain(secret);
  });

  it("counts webhook delivery attempts (a failure, then a success) and partner reports by outcome", async () => {
    const { store } = opened;
    const receiver = await startWebhookReceiver({
      behave: (_delivery, response, index) => {
        if (index === 0) {
          response.writeHead(503).end("down");
          return "handled";
        }
      },
    });
    const partner = createHttpServer((req, res) => {
      req.resume();
      req.on("end", () => (req.url === "/good" ? res.writeHead(200, { "content-type": "application/json" }).end("[]") : res.writeHead(500).end()));
    });
    await new Promise<void>((resolve) => partner.listen(0, "127.0.0.1", resolve));
    const partnerUrl = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
    try {
      start({ webhooks: opened.webhooks, partners: opened.partners, webhookDelivery: { allowPrivate: true }, partnerIntervalMs: 3_600_000 });
      await server.listen(0);
      const repo = await server.repositories.register({ owner: "acme", name: "site", sourceUrl: null, isPublic: true });
      await opened.partners.addPartner({ name: "good", url: `${partnerUrl}/good`, secretTypes: ["github_personal_access_token"] });
      await opened.partners.addPartner({ name: "broken", url: `${partnerUrl}/broken`, secretTypes: ["github_personal_access_token"] });
      await opened.webhooks.createHook({ scope: "repository", repoId: repo.id, url: receiver.url, contentType: "json", secret: null, insecureSsl: false, events: ["secret_scanning_alert"], active: true });
      await store.recordDetections(repo.id, [
        detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", random.githubToken("ghp"), "a.env", 1),
      ]);
      await server.partnerReporter!.runOnce();
      await receiver.waitFor(1, 15_000);
      let text = "";
      for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        text = await metrics.registry.metrics();
        if (sample(text, "vigil_webhook_deliveries_total", { kind: "webhook", outcome: "success" }) === 1) break;
      }
      expect(sample(text, "vigil_webhook_deliveries_total", { kind: "webhook", outcome: "failure" })).toBe(1);
      expect(sample(text, "vigil_webhook_deliveries_total", { kind: "webhook", outcome: "success" })).toBe(1);
      expect(sample(text, "vigil_webhook_delivery_duration_seconds_count", { kind: "webhook", outcome: "success" })).toBe(1);
      expect(sample(text, "vigil_partner_reports_total", { partner: "good", outcome: "success" })).toBe(1);
      expect(sample(text, "vigil_partner_reports_total", { partner: "broken", outcome: "failure" })).toBe(1);
    } finally {
      await server.close();
      await receiver.close();
      await new Promise((resolve) => partner.close(resolve));
    }
  });

  it("a scan job's log lines carry its job id and kind, and no line carries the secret it found", async () => {
    start();
    const secret = random.githubToken("ghp");
    const source = gitRepository(join(work, "source"), "config.env", `GITHUB_TOKEN=${secret}\n`);
    await server.repositories.register({ owner: "acme", name: "api", sourceUrl: source });
    await server.runner.idle();
    const scanned = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "repository scanned");
    expect(scanned).toMatchObject({ job_kind: "history-scan", job_key: expect.stringMatching(/^scan:\d+$/), job_id: expect.stringMatching(/^\S+$/), findings: 1 });
    // Outside a job, lines carry no job id.
    await get("/readyz");
    await opened.db.destroy();
    await get("/readyz");
    const request = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.check === "store");
    expect(request).toBeDefined();
    expect(request).not.toHaveProperty("job_id");
    expect(logLines.join("\n")).not.toContain(secret);
  });
});
