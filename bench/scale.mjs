// Scale benchmark: (a) the job queues' own cost, no-op jobs through each backend, in jobs/s and ms of
// overhead per job; (b) time to scan N small generated repositories (varied histories, planted
// tokens) with 1 and with 2 `vigil worker` processes sharing the embedded SQLite store and its job
// queue, against the same scans run back to back in one process without a queue (the baseline,
// same run): the difference per repository is what the queue, the processes and the store add.
//
//   node bench/scale.mjs [--repos 1000]
//   npm run bench -- scale
//
// BullMQ and PostgreSQL are measured too when VIGIL_BENCH_REDIS_URL / VIGIL_BENCH_POSTGRES_URL are
// set. Speed is reported, never asserted.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import pg from "pg";
import { openStore } from "../packages/vigil/dist/store/index.js";
import { createJobKinds } from "../packages/vigil/dist/jobs/job-kind.js";
import { createStoreJobQueue } from "../packages/vigil/dist/jobs/store-job-queue.js";
import { recordRepository } from "../packages/vigil/dist/server/repository-service.js";
import { scanRepositoryHistory } from "../packages/vigil/dist/server/scan-repository-history.js";
import { generateHistory } from "../packages/vigil/dist/test-support/generated-history.js";

const CLI = fileURLToPath(new URL("../packages/vigil/bin/vigil.js", import.meta.url));
const fmt = (n, d = 1) => n.toFixed(d);
const KEY = randomBytes(32).toString("base64");

export function scaleOptions(argv) {
  const i = argv.indexOf("--repos");
  return { repos: Number(i >= 0 ? argv[i + 1] : 1000), noopJobs: 2000 };
}

async function queueThroughput(label, makeQueue, jobs) {
  const kinds = createJobKinds([{ name: "noop", run: () => Promise.resolve() }]);
  const queue = await makeQueue(kinds);
  const enqueueStart = performance.now();
  for (let i = 0; i < jobs; i++) await queue.enqueue("noop", { i }, { fairKey: `org:${i % 10}`, group: `repo:${i}` });
  const enqueueMs = performance.now() - enqueueStart;
  const start = performance.now();
  const worker = queue.work({ concurrency: 4 });
  await worker.idle();
  const runMs = performance.now() - start;
  await worker.stop({ graceMs: 0 });
  await queue.close();
  const result = { label, jobs, enqueuePerSec: jobs / (enqueueMs / 1000), runPerSec: jobs / (runMs / 1000), overheadMs: (enqueueMs + runMs) / jobs };
  console.log(`  ${label.padEnd(22)} enqueue ${fmt(result.enqueuePerSec, 0).padStart(6)} jobs/s   run ${fmt(result.runPerSec, 0).padStart(6)} jobs/s   ${fmt(result.overheadMs, 2)} ms per job`);
  return result;
}

async function withPostgres(url, work) {
  const name = `vigil_bench_scale_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  try {
    return await work(target.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

/** Registers every repository with a pending backfill, starts `workers` processes, waits until all are scanned. */
async function scanWithWorkers(paths, workers, redisUrl) {
  const dataDir = mkdtempSync(join(tmpdir(), "vigil-bench-scale-"));
  const opened = await openStore({ dataDir, env: { VIGIL_SECRET_KEY: KEY } });
  const kinds = createJobKinds([{ name: "history-scan", run: () => Promise.reject(new Error("queued only")) }]);
  const prefix = `vigil-bench-scan-${process.pid}-${workers}`;
  const queueEnv = redisUrl ? { VIGIL_REDIS_URL: redisUrl, VIGIL_REDIS_PREFIX: prefix } : {};
  const queue = redisUrl
    ? (await import("../packages/vigil/dist/jobs/bullmq-job-queue.js")).createBullJobQueue({ url: redisUrl, prefix, kinds })
    : createStoreJobQueue({ db: opened.db, kinds });
  for (let i = 0; i < paths.length; i++) {
    const repo = await recordRepository(opened.store, dataDir, { owner: `org${i % 10}`, name: `repo${i}`, sourceUrl: paths[i] });
    await queue.enqueue("history-scan", { repoId: repo.id, scanKind: "backfill" }, { key: `scan:${repo.id}`, group: `repo:${repo.id}`, fairKey: `org:${repo.orgId}` });
  }
  const start = performance.now();
  const children = [];
  for (let w = 0; w < workers; w++) {
    children.push(spawn(process.execPath, [CLI, "worker", "--data-dir", dataDir, "--concurrency", "2"], {
      env: { ...process.env, ...queueEnv, VIGIL_SECRET_KEY: KEY, VIGIL_LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "ignore"],
    }));
  }
  for (;;) {
    const { rows } = await sql`select count(*) as n from scans where status = 'completed'`.execute(opened.db);
    if (Number(rows[0].n) >= paths.length) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const ms = performance.now() - start;
  const load = loadavg()[0];
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve() : c.once("exit", resolve)))));
  const { rows } = await sql`select count(*) as n from alerts`.execute(opened.db);
  await queue.close();
  if (redisUrl) {
    const { Redis } = await import("ioredis");
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
  await opened.close();
  rmSync(dataDir, { recursive: true, force: true });
  return { ms, alerts: Number(rows[0].n), load };
}

export async function runScaleBench({ repos, noopJobs }) {
  const result = { repos, queues: [] };
  console.log(`scale: job queue overhead (${noopJobs} no-op jobs, 4 at once, one process)`);
  const sqliteDir = mkdtempSync(join(tmpdir(), "vigil-bench-queue-"));
  const sqliteStore = await openStore({ dataDir: sqliteDir, env: { VIGIL_SECRET_KEY: KEY } });
  result.queues.push(await queueThroughput("store (SQLite)", (kinds) => createStoreJobQueue({ db: sqliteStore.db, kinds, pollMs: 20 }), noopJobs));
  await sqliteStore.close();
  rmSync(sqliteDir, { recursive: true, force: true });
  if (process.env.VIGIL_BENCH_POSTGRES_URL) {
    await withPostgres(process.env.VIGIL_BENCH_POSTGRES_URL, async (url) => {
      const dir = mkdtempSync(join(tmpdir(), "vigil-bench-queue-"));
      const store = await openStore({ dataDir: dir, url, env: { VIGIL_SECRET_KEY: KEY } });
      result.queues.push(await queueThroughput("store (PostgreSQL)", (kinds) => createStoreJobQueue({ db: store.db, kinds, pollMs: 20 }), noopJobs));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
  }
  if (process.env.VIGIL_BENCH_REDIS_URL) {
    const { createBullJobQueue } = await import("../packages/vigil/dist/jobs/bullmq-job-queue.js");
    const prefix = `vigil-bench-${process.pid}`;
    result.queues.push(await queueThroughput("BullMQ (Redis)", (kinds) => createBullJobQueue({ url: process.env.VIGIL_BENCH_REDIS_URL, prefix, kinds }), noopJobs));
    const { Redis } = await import("ioredis");
    const redis = new Redis(process.env.VIGIL_BENCH_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }

  console.log(`  load average ${loadavg().map((l) => fmt(l, 1)).join(" ")}`);
  console.log(`scale: ${repos} generated repositories (1-6 commits, 1-3 files each, a token every 2 commits)`);
  const generateStart = performance.now();
  const paths = [];
  for (let i = 0; i < repos; i++) paths.push(generateHistory({ commits: 1 + (i % 6), filesPerCommit: 1 + (i % 3), fileBytes: 512, secretEvery: 2, seed: 9000 + i }).path);
  console.log(`  generated in ${fmt((performance.now() - generateStart) / 1000)} s`);
  // Baseline: the same history scans, one after another in this process, no queue, no store.
  const baseStart = performance.now();
  let findings = 0;
  for (const path of paths) findings += (await scanRepositoryHistory(path, new globalThis.AbortController().signal)).findings.length;
  const baselineMs = performance.now() - baseStart;
  result.baselineLoad = loadavg()[0];
  console.log(`  baseline: scanned in one process, no queue   ${fmt(baselineMs / 1000).padStart(7)} s  ${fmt(baselineMs / repos, 2)} ms/repo  (${findings} findings)`);
  result.baseline = { ms: baselineMs, perRepoMs: baselineMs / repos, findings };
  result.workers = [];
  const backends = [["SQLite", undefined], ...(process.env.VIGIL_BENCH_REDIS_URL ? [["BullMQ", process.env.VIGIL_BENCH_REDIS_URL]] : [])];
  for (const [backend, redisUrl] of backends) {
    for (const workers of [1, 2]) {
      const run = await scanWithWorkers(paths, workers, redisUrl);
      const perRepoMs = run.ms / repos;
      console.log(`  ${workers} worker${workers > 1 ? "s" : " "} (2 jobs each, ${backend} queue)   ${fmt(run.ms / 1000).padStart(7)} s  ${fmt(perRepoMs, 2)} ms/repo  ${fmt(repos / (run.ms / 1000), 1)} repos/s  (${run.alerts} alerts, load ${fmt(run.load, 1)})`);
      result.workers.push({ backend, workers, ms: run.ms, perRepoMs, reposPerSec: repos / (run.ms / 1000), alerts: run.alerts, load: run.load });
    }
  }
  const one = result.workers[0];
  // A worker runs 2 jobs at once, the baseline one scan at a time: their difference is not the queue's
  // cost (it can be negative). The queue's own cost per job is the no-op measure above.
  result.jobOverheadPerRepoMs = result.queues[0].overheadMs;
  console.log(`  1 worker vs the sequential baseline: ${fmt(result.baseline.ms / one.ms, 2)}x; the queue's own cost per job (no-op, SQLite store): ${fmt(result.jobOverheadPerRepoMs, 2)} ms`);
  console.log(`  2 workers vs 1 (SQLite queue): ${fmt(one.ms / result.workers[1].ms, 2)}x`);
  if (result.workers.length > 2) console.log(`  2 workers vs 1 (BullMQ): ${fmt(result.workers[2].ms / result.workers[3].ms, 2)}x`);
  for (const path of paths) rmSync(dirname(path), { recursive: true, force: true });
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runScaleBench(scaleOptions(process.argv.slice(2)));
