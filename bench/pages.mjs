// `npm run bench:pages`: server time of the organization alert page (`/orgs/{org}/security/secret-scanning`)
// with 100,000 alerts across 100 repositories, on SQLite, in process (the Hono app, no socket): the
// first page, filtered pages and pages deep into the list through the Next links (cursors).
// Speed is reported, never asserted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { ExampleRandom } from "../packages/engine/dist/index.js";
import { createServer } from "../packages/vigil/dist/server/create-server.js";
import { scanRepositoryHistory } from "../packages/vigil/dist/server/scan-repository-history.js";
import { openStore } from "../packages/vigil/dist/store/index.js";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const REPOS = Number(flag("--repos", 100));
const ALERTS = Number(flag("--alerts", 100_000));
const RUNS = Number(flag("--runs", 30));
const KEY = Buffer.alloc(32, 9).toString("base64");

const dataDir = mkdtempSync(join(tmpdir(), "vigil-bench-pages-"));
try {
  const opened = await openStore({ dataDir, env: { VIGIL_SECRET_KEY: KEY } });
  const { store } = opened;
  const random = new ExampleRandom(15);
  const seeded = performance.now();
  const perRepo = Math.ceil(ALERTS / REPOS);
  for (let r = 0; r < REPOS; r++) {
    const repo = await store.createRepository({
      owner: "bench",
      name: `repo-${r}`,
      sourceUrl: null,
      mirrorPath: join(dataDir, `r${r}.git`),
    });
    const detections = [];
    for (let i = 0; i < perRepo; i++) {
      detections.push({
        secretType: "github_personal_access_token",
        secretTypeDisplayName: "GitHub Personal Access Token",
        provider: "GitHub",
        secretCategory: "default",
        secret: random.githubToken("ghp"),
        isBase64Encoded: false,
        location: {
          type: "commit",
          details: {
            path: `src/f${i}.js`,
            startLine: 1,
            endLine: 1,
            startColumn: 1,
            endColumn: 40,
            blobSha: random.hex(40),
            commitSha: random.hex(40),
          },
        },
      });
    }
    await store.recordDetections(repo.id, detections);
  }
  const org = await store.getOrganization("bench");
  const manager = await store.createUser({ login: "bench-manager" });
  await store.setOrgRole(org.id, manager.id, "security_manager");
  const { record, token } = await store.createToken({ userId: manager.id, scopes: ["security_events", "repo"] });
  const { id } = await opened.sessions.create({ userId: manager.id, tokenId: record.id, ttlMs: 3_600_000 });
  console.log(
    `seeded ${REPOS * perRepo} alerts in ${REPOS} repositories in ${((performance.now() - seeded) / 1000).toFixed(1)} s (SQLite)`,
  );

  const server = createServer({
    store,
    pushProtection: opened.pushProtection,
    sessions: opened.sessions,
    storeEnv: {},
    dataDir,
    scanHistory: scanRepositoryHistory,
    log: pino({ level: "silent" }),
    background: false,
    overview: opened.overview,
    reviews: opened.reviews,
  });
  const get = async (path) => {
    const t0 = performance.now();
    const res = await server.app.request(`http://bench.test${path}`, { headers: { cookie: `vigil_session=${id}` } });
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return { ms, text };
  };
  const measure = async (label, path) => {
    await get(path);
    const times = [];
    for (let i = 0; i < RUNS; i++) times.push((await get(path)).ms);
    times.sort((a, b) => a - b);
    const p = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    console.log(
      `${label.padEnd(44)} p50 ${p(0.5).toFixed(1).padStart(7)} ms   p95 ${p(0.95).toFixed(1).padStart(7)} ms`,
    );
  };
  const base = "/orgs/bench/security/secret-scanning";
  // Baseline, same run: the REST API's organization list, 25 alerts, cursor mode (JSON, no HTML).
  const api = async (path) => {
    const t0 = performance.now();
    const res = await server.app.request(`http://bench.test${path}`, { headers: { authorization: `token ${token}` } });
    await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return performance.now() - t0;
  };
  {
    await api("/api/v3/orgs/bench/secret-scanning/alerts?per_page=25&after=");
    const times = [];
    for (let i = 0; i < RUNS; i++) times.push(await api("/api/v3/orgs/bench/secret-scanning/alerts?per_page=25&after="));
    times.sort((a, b) => a - b);
    console.log(
      `${"baseline: REST API org list (25, JSON)".padEnd(44)} p50 ${times[Math.floor(0.5 * times.length)].toFixed(1).padStart(7)} ms   p95 ${times[Math.min(times.length - 1, Math.floor(0.95 * times.length))].toFixed(1).padStart(7)} ms`,
    );
  }
  await measure("first page (open, 25 alerts)", base);
  await measure("oldest first (sort=created-asc)", `${base}?sort=created-asc`);
  await measure("search q=repo:repo-7 provider:github", `${base}?q=${encodeURIComponent("repo:repo-7 provider:github")}`);
  await measure("assignee=none, bypassed=false", `${base}?assignee=none&bypassed=false`);
  await measure("all states", `${base}?state=all`);
  await measure("validity=active (matches none)", `${base}?validity=active`);
  await measure("secret_type=github_personal_access_token", `${base}?secret_type=github_personal_access_token`);
  // 40 pages deep (1,000 alerts in) through the Next links.
  let path = base;
  for (let i = 0; i < 40; i++) {
    const next = /rel="next"\s+href="([^"]+)"/.exec((await get(path)).text);
    if (!next) throw new Error("no next page");
    path = next[1].replace(/&amp;/g, "&");
  }
  await measure("page 41 (after 1,000 alerts, cursor)", path);
  await measure("security overview (charts, 100k alerts)", "/orgs/bench/security/overview");
  await measure("push protection (metrics page)", "/orgs/bench/security/push-protection");
  await server.close();
  await opened.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
