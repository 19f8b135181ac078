// `npm run bench:api`: list-alerts throughput and latency with 100,000 alerts across 100 repositories,
// on SQLite and (when reachable) PostgreSQL. The server runs as a real `vigil serve` child process;
// this process is the load generator (keep-alive HTTP, fixed concurrency). Speed is reported, never asserted.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "../packages/engine/dist/index.js";
import { openStore } from "../packages/vigil/dist/store/index.js";

const ROOT = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const REPOS = Number(flag("--repos", 100));
const ALERTS = Number(flag("--alerts", 100_000));
const SECONDS = Number(flag("--seconds", 10));
const CONCURRENCY = Number(flag("--concurrency", 16));
const WORKERS = Number(flag("--workers", 1));
const PG_URL = process.env.VIGIL_BENCH_POSTGRES_URL ?? process.env.VIGIL_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const KEY = Buffer.alloc(32, 9).toString("base64");

async function seed(dataDir, url) {
  const started = performance.now();
  const { store, close } = await openStore({ dataDir, url, env: { VIGIL_SECRET_KEY: KEY } });
  const random = new ExampleRandom(7);
  const perRepo = Math.ceil(ALERTS / REPOS);
  const repos = [];
  for (let r = 0; r < REPOS; r++) {
    const repo = await store.createRepository({ owner: "bench", name: `repo-${r}`, sourceUrl: null, mirrorPath: join(dataDir, "repos", `r${r}.git`) });
    repos.push(repo);
    const detections = [];
    for (let i = 0; i < perRepo; i++) {
      const secret = random.githubToken("ghp");
      const sha = random.hex(40);
      detections.push({
        secretType: "github_personal_access_token",
        secretTypeDisplayName: "GitHub Personal Access Token",
        provider: "GitHub",
        secretCategory: "default",
        secret,
        isBase64Encoded: false,
        location: { type: "commit", details: { path: `src/f${i}.js`, startLine: 1, endLine: 1, startColumn: 1, endColumn: 40, blobSha: random.hex(40), commitSha: sha } },
      });
    }
    await store.recordDetections(repo.id, detections);
  }
  const admin = await store.createUser({ login: "bench-admin", siteAdmin: true });
  const { token } = await store.createToken({ userId: admin.id, scopes: ["repo", "security_events"] });
  await close();
  if (url) {
    // A bulk load leaves PostgreSQL without statistics or a visibility map until autovacuum comes round; a
    // running server would have them, so the benchmark does not measure plans made blind.
    const pg = (await import("pg")).default;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("VACUUM ANALYZE");
    await client.end();
  }
  return { token, seedMs: performance.now() - started };
}

function startServer(dataDir, url) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, VIGIL_SECRET_KEY: KEY, VIGIL_LOG_LEVEL: "warn" };
    const argv = [join(ROOT, "packages/vigil/bin/vigil.js"), "serve", "--port", "0", "--workers", String(WORKERS), "--data-dir", dataDir];
    if (url) argv.push("--database-url", url);
    const child = spawn(process.execPath, argv, { env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (chunk) => {
      err += chunk;
      const m = /serving (http:\/\/[^\s]+)/.exec(err);
      if (m) resolve({ child, base: m[1] });
    });
    child.on("exit", (code) => reject(new Error(`vigil serve exited ${code}: ${err}`)));
  });
}

const WRK = spawnSync("wrk", ["--version"]).error === undefined;

/**
 * wrk (Debian's package) when installed: a C load generator takes less of the machine from the
 * server than one in Node.js. The Lua script rotates the same paths as the fallback below.
 */
function loadWithWrk(base, token, kind) {
  const dir = mkdtempSync(join(tmpdir(), "vigil-wrk-"));
  const script = join(dir, "paths.lua");
  const paths =
    kind === "org"
      ? Array.from({ length: 50 }, (_, i) => `/api/v3/orgs/bench/secret-scanning/alerts?per_page=30&page=${i + 1}`)
      : Array.from({ length: REPOS * 3 }, (_, i) => `/api/v3/repos/bench/repo-${i % REPOS}/secret-scanning/alerts?per_page=30&page=${1 + (i % 30)}`);
  writeFileSync(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(",")}}\nlocal n = 0\nwrk.headers["Authorization"] = "token ${token}"\nrequest = function()\n  n = n + 1\n  return wrk.format("GET", paths[(n % #paths) + 1])\nend\n`,
  );
  const out = spawnSync("wrk", ["-t1", `-c${CONCURRENCY}`, `-d${SECONDS}s`, "--latency", "-s", script, base], { encoding: "utf8" }).stdout;
  rmSync(dir, { recursive: true, force: true });
  const ms = (text) => {
    const m = /([\d.]+)(us|ms|s)/.exec(text ?? "");
    if (!m) return NaN;
    return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1);
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  return { requests, errors: non2xx, rps, p50: ms(/^\s+50%\s+(\S+)/m.exec(out)?.[1]), p99: ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1]), tool: "wrk" };
}

async function load(base, token, path) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const one = () =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = request(`${base}${path()}`, { agent, headers: { authorization: `token ${token}`, accept: "application/vnd.github+json" } }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode !== 200) errors++;
          latencies.push(performance.now() - t0);
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const worker = async () => {
    while (performance.now() < deadline) await one();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { requests: latencies.length, errors, rps: latencies.length / elapsed, p50: pct(50), p99: pct(99), tool: "node" };
}

async function pgReachable(url) {
  try {
    const pg = (await import("pg")).default;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function freshPgSchemaUrl(url) {
  // One database per run keeps the benchmark from touching anything else in it.
  const pg = (await import("pg")).default;
  const name = `vigil_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  } };
}

const results = [];
const DIALECTS = flag("--dialects", "sqlite,postgres").split(",");
for (const dialect of DIALECTS) {
  if (dialect === "postgres" && !(await pgReachable(PG_URL))) {
    console.log(`postgres: not reachable at ${PG_URL}, skipped`);
    continue;
  }
  const dataDir = mkdtempSync(join(tmpdir(), "vigil-bench-api-"));
  const pgdb = dialect === "postgres" ? await freshPgSchemaUrl(PG_URL) : null;
  try {
    const { token, seedMs } = await seed(dataDir, pgdb?.url);
    const { child, base } = await startServer(dataDir, pgdb?.url);
    try {
      let n = 0;
      // Warm up, then measure: pages of repositories in rotation (per_page=30), and the org-wide list.
      await load(base, token, () => `/api/v3/repos/bench/repo-${n++ % REPOS}/secret-scanning/alerts?per_page=30`);
      const repo = WRK ? loadWithWrk(base, token, "repo") : await load(base, token, () => `/api/v3/repos/bench/repo-${n++ % REPOS}/secret-scanning/alerts?per_page=30&page=${1 + (n % 30)}`);
      const org = WRK ? loadWithWrk(base, token, "org") : await load(base, token, () => `/api/v3/orgs/bench/secret-scanning/alerts?per_page=30&page=${1 + (n++ % 50)}`);
      results.push({ dialect, seedMs, repo, org });
      console.log(
        `${dialect} (${WORKERS} server process${WORKERS > 1 ? "es" : ""}, load from ${repo.tool}): seeded ${ALERTS} alerts in ${(seedMs / 1000).toFixed(1)} s; repo list ${repo.rps.toFixed(0)} req/s p50 ${repo.p50.toFixed(1)} ms p99 ${repo.p99.toFixed(1)} ms (${repo.errors} errors); org list ${org.rps.toFixed(0)} req/s p99 ${org.p99.toFixed(1)} ms (${org.errors} errors)`,
      );
    } finally {
      child.kill("SIGTERM");
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await pgdb?.drop().catch(() => undefined);
  }
}
console.log(JSON.stringify({ date: new Date().toISOString(), repos: REPOS, alerts: ALERTS, concurrency: CONCURRENCY, seconds: SECONDS, workers: WORKERS, results }, null, 2));
