// Metrics benchmark: (a) what the HTTP metrics middleware adds to a request (a bare Hono route with
// and without it, in the same run, and an alert-list request of the real server for scale), and
// (b) what a Prometheus scrape costs: the registry's text with every route's series filled, and the
// grouped alert count over N alerts.
//
//   node bench/metrics.mjs [--metrics-alerts N]
//   npm run bench -- metrics
//
// Speed is reported, never asserted. Requires a build.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { pino } from "pino";
import { ExampleRandom } from "../packages/engine/dist/index.js";
import { createMetrics } from "../packages/vigil/dist/metrics/vigil-metrics.js";
import { httpMetrics } from "../packages/vigil/dist/server/observability-routes.js";
import { createServer } from "../packages/vigil/dist/server/create-server.js";
import { openStore } from "../packages/vigil/dist/store/index.js";

const fmt = (n, d = 1) => n.toFixed(d);

export function metricsOptions(argv) {
  const i = argv.indexOf("--metrics-alerts");
  return { alerts: Number(i >= 0 && argv[i + 1] ? argv[i + 1] : "20000") };
}

async function perRequestUs(app, path, n) {
  for (let i = 0; i < 500; i++) await app.request(`http://bench.test${path}`);
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) await app.request(`http://bench.test${path}`);
    best = Math.min(best, ((performance.now() - start) * 1000) / n);
  }
  return best;
}

export async function runMetricsBench(options) {
  const result = {};
  // (a) The middleware alone: the same route with and without it.
  const bare = new Hono();
  bare.get("/repos/:owner/:repo/alerts", (c) => c.json({ ok: true }));
  const metrics = createMetrics({ processMetrics: false });
  const measured = new Hono();
  measured.use("*", httpMetrics(metrics));
  measured.get("/repos/:owner/:repo/alerts", (c) => c.json({ ok: true }));
  const n = 20_000;
  const baseUs = await perRequestUs(bare, "/repos/acme/api/alerts", n);
  const withUs = await perRequestUs(measured, "/repos/acme/api/alerts", n);
  result.middleware = { baselineUs: baseUs, withMetricsUs: withUs, overheadUs: withUs - baseUs };
  console.log(`metrics: HTTP middleware, ${n} requests x 5 rounds (best), in process`);
  console.log(`  bare Hono route (baseline)      ${fmt(baseUs, 2).padStart(8)} µs/request`);
  console.log(`  same route with httpMetrics     ${fmt(withUs, 2).padStart(8)} µs/request  (+${fmt(withUs - baseUs, 2)} µs)`);

  // The real server's alert list, for scale: what one API request costs with metrics on.
  const dir = mkdtempSync(join(tmpdir(), "vigil-bench-metrics-"));
  const opened = await openStore({ dataDir: dir, env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 7).toString("base64") } });
  try {
    const serverMetrics = createMetrics({ processMetrics: false });
    const server = createServer({
      store: opened.store,
      pushProtection: opened.pushProtection,
      storeEnv: {},
      dataDir: dir,
      scanHistory: () => Promise.resolve({ findings: [], warnings: [] }),
      log: pino({ level: "silent" }),
      metrics: serverMetrics,
      health: opened.health,
    });
    const repo = await server.repositories.register({ owner: "acme", name: "api", sourceUrl: null });
    await server.runner.idle();
    const random = new ExampleRandom(0x3e7);
    const batch = 500;
    for (let done = 0; done < options.alerts; done += batch) {
      const detections = [];
      for (let i = done; i < Math.min(options.alerts, done + batch); i++) {
        detections.push({
          secretType: "github_personal_access_token",
          secretTypeDisplayName: "GitHub Personal Access Token",
          provider: "GitHub",
          secretCategory: "default",
          secret: random.githubToken("ghp"),
          isBase64Encoded: false,
          location: { type: "commit", details: { path: `f${i}.env`, startLine: 1, endLine: 1, startColumn: 1, endColumn: 41, blobSha: "0".repeat(40), commitSha: "1".repeat(40), authorName: "a", authorEmail: "a@example.com", committerEmail: "a@example.com", commitDate: "2026-01-01T00:00:00Z" } },
        });
      }
      await opened.store.recordDetections(repo.id, detections);
    }
    const admin = await opened.store.createUser({ login: "root", siteAdmin: true });
    const { token } = await opened.store.createToken({ userId: admin.id, scopes: ["repo", "security_events", "site_admin"] });
    const headers = { authorization: `token ${token}` };
    const listMs = [];
    for (let i = 0; i < 50; i++) {
      const start = performance.now();
      await (await server.app.request("http://bench.test/api/v3/repos/acme/api/secret-scanning/alerts?per_page=30", { headers })).text();
      listMs.push(performance.now() - start);
    }
    listMs.sort((a, b) => a - b);
    const listMedian = listMs[listMs.length >> 1];
    result.alertList = { medianMs: listMedian };
    console.log(`  alert list (30 of ${options.alerts}), real server  ${fmt(listMedian * 1000, 0).padStart(8)} µs/request (median): the middleware is ${fmt(((withUs - baseUs) / (listMedian * 1000)) * 100, 2)} % of it`);

    // (b) A scrape: every route's series filled (3 statuses each), and the alert count.
    for (const route of server.app.routes) {
      for (const status of ["200", "404", "500"]) serverMetrics.httpRequestDuration.observe({ method: route.method, route: route.path, status }, 0.01);
    }
    const countMs = [];
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      await opened.health.alertCounts();
      countMs.push(performance.now() - start);
    }
    countMs.sort((a, b) => a - b);
    const scrapeMs = [];
    let bytes = 0;
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      const res = await server.app.request("http://bench.test/metrics", { headers });
      bytes = (await res.text()).length;
      scrapeMs.push(performance.now() - start);
    }
    scrapeMs.sort((a, b) => a - b);
    const series = (await serverMetrics.registry.metrics()).split("\n").filter((l) => l && !l.startsWith("#")).length;
    result.scrape = { alerts: options.alerts, alertCountMs: countMs[5], scrapeMs: scrapeMs[10], series, bytes };
    console.log(`  grouped alert count over ${options.alerts} alerts (SQLite)  ${fmt(countMs[5], 2).padStart(8)} ms (median; cached 10 s per process)`);
    console.log(`  GET /metrics: ${series} series, ${fmt(bytes / 1024, 0)} KiB   ${fmt(scrapeMs[10], 2).padStart(8)} ms (median)`);
    await server.close();
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) await runMetricsBench(metricsOptions(process.argv.slice(2)));
