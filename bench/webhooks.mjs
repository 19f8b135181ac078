// Webhook benchmark: (a) deliveries per second from the outbox to a local receiver (one hook, many
// alerts, real HTTP over loopback, signed), and (b) the latency an alert change gets when hooks are
// configured and the dispatcher is delivering, against the same changes with no hooks, in the same run.
//
//   node bench/webhooks.mjs [--webhook-events N] [--webhook-changes N] [--dialect sqlite|postgres]
//   npm run bench -- webhooks
//
// PostgreSQL: set VIGIL_BENCH_POSTGRES_URL (a fresh database is created and dropped). Speed is
// reported, never asserted.
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "../packages/engine/dist/index.js";
import { openStore } from "../packages/vigil/dist/store/index.js";
import { createWebhookDispatcher } from "../packages/vigil/dist/webhooks/dispatcher.js";

const fmt = (n, d = 0) => n.toFixed(d);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

export function webhookOptions(argv) {
  const value = (name, fallback) => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
  };
  return {
    events: Number(value("--webhook-events", "2000")),
    changes: Number(value("--webhook-changes", "400")),
    dialect: value("--dialect", "sqlite"),
  };
}

function detection(random, n) {
  const secret = random.githubToken("ghp");
  const sha = (seed) => (seed.toString(16).padStart(8, "0") + "b".repeat(32)).slice(0, 40);
  return {
    secretType: "github_personal_access_token",
    secretTypeDisplayName: "GitHub Personal Access Token",
    provider: "GitHub",
    secretCategory: "default",
    secret,
    isBase64Encoded: false,
    location: {
      type: "commit",
      details: {
        path: `config/${n}.env`,
        startLine: 1,
        endLine: 1,
        startColumn: 1,
        endColumn: 40,
        blobSha: sha(n + 1e6),
        commitSha: sha(n),
      },
    },
  };
}

async function startReceiver() {
  let count = 0;
  let waiter = null;
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(202).end();
      count++;
      if (waiter && count >= waiter.n) waiter.resolve();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
    waitFor(n) {
      return count >= n ? Promise.resolve() : new Promise((resolve) => (waiter = { n, resolve }));
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

async function openBenchStore(dialect) {
  const dataDir = mkdtempSync(join(tmpdir(), "vigil-bench-webhooks-"));
  const env = { VIGIL_SECRET_KEY: Buffer.alloc(32, 5).toString("base64") };
  let drop = async () => undefined;
  let url;
  if (dialect === "postgres") {
    const base = process.env.VIGIL_BENCH_POSTGRES_URL;
    if (!base) throw new Error("--dialect postgres needs VIGIL_BENCH_POSTGRES_URL");
    const { default: pg } = await import("pg");
    const name = `vigil_bench_webhooks_${process.pid}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const opened = await openStore({ dataDir, env, ...(url ? { url } : {}) });
  return {
    opened,
    async close() {
      await opened.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function runWebhooksBench(options) {
  const { events, changes, dialect } = options;
  console.log(`webhooks (${dialect}): ${events} events to one hook; ${changes} alert changes with and without hooks`);
  const random = new ExampleRandom(20261203);
  const receiver = await startReceiver();
  const { opened, close } = await openBenchStore(dialect);
  const { store, webhooks } = opened;
  const urls = () => ({ web: "http://vigil.bench", api: "http://vigil.bench/api/v3" });
  const results = { dialect };
  try {
    // (a) Deliveries per second: the events are in the outbox first, then the dispatcher drains it.
    const repo = await store.createRepository({
      owner: "bench",
      name: "hooks",
      sourceUrl: null,
      mirrorPath: "/nonexistent",
    });
    await webhooks.createHook({
      scope: "repository",
      repoId: repo.id,
      url: receiver.url,
      contentType: "json",
      secret: "bench-hook-secret",
      insecureSsl: false,
      events: ["*"],
      active: true,
    });
    for (let i = 0; i < events; i += 100) {
      const batch = [];
      for (let j = i; j < Math.min(events, i + 100); j++) batch.push(detection(random, j));
      await store.recordDetections(repo.id, batch);
    }
    const dispatcher = createWebhookDispatcher({ store, webhooks, urls, allowPrivate: true, pollMs: 50 });
    const started = performance.now();
    dispatcher.start();
    await receiver.waitFor(events);
    const ms = performance.now() - started;
    await dispatcher.close();
    results.deliveries = { events, ms, perSecond: events / (ms / 1000) };
    console.log(
      `  ${events} deliveries (fan-out, sign, POST, log) in ${fmt(ms)} ms = ${fmt(events / (ms / 1000))} deliveries/s`,
    );

    // (b) Latency of an alert change (resolve / reopen through the store, one transaction with its
    // event): a repository without hooks and nothing delivering, then one with five hooks while the
    // dispatcher delivers every change. Interleaved in rounds so both see the same machine.
    const quiet = await store.createRepository({
      owner: "bench",
      name: "quiet",
      sourceUrl: null,
      mirrorPath: "/nonexistent",
    });
    const busy = await store.createRepository({
      owner: "bench",
      name: "busy",
      sourceUrl: null,
      mirrorPath: "/nonexistent",
    });
    for (let i = 0; i < 5; i++)
      await webhooks.createHook({
        scope: "repository",
        repoId: busy.id,
        url: receiver.url,
        contentType: "json",
        secret: "bench-hook-secret",
        insecureSsl: false,
        events: ["*"],
        active: true,
      });
    await store.recordDetections(
      quiet.id,
      Array.from({ length: 10 }, (_, n) => detection(random, 1e6 + n)),
    );
    await store.recordDetections(
      busy.id,
      Array.from({ length: 10 }, (_, n) => detection(random, 2e6 + n)),
    );
    // Drain the created events first so both measurements start from an empty outbox.
    const drain = createWebhookDispatcher({ store, webhooks, urls, allowPrivate: true, pollMs: 20 });
    drain.start();
    await receiver.waitFor(events + 5 * 10);
    await drain.close();
    const state = new Map();
    const change = async (repoId, number) => {
      const key = `${repoId}:${number}`;
      const open = state.get(key) !== "resolved";
      const t = performance.now();
      await store.updateAlert(
        repoId,
        number,
        open ? { state: "resolved", resolution: "revoked" } : { state: "open" },
        null,
      );
      state.set(key, open ? "resolved" : "open");
      return performance.now() - t;
    };
    const without = [];
    const withHooks = [];
    const rounds = 4;
    let expected = receiver.count;
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < changes / rounds; i++) without.push(await change(quiet.id, 1 + (i % 10)));
      const live = createWebhookDispatcher({ store, webhooks, urls, allowPrivate: true, pollMs: 20 });
      live.start();
      for (let i = 0; i < changes / rounds; i++) withHooks.push(await change(busy.id, 1 + (i % 10)));
      // Every change goes to five hooks; the round ends when all are delivered, so the next quiet round is quiet.
      expected += (5 * changes) / rounds;
      await receiver.waitFor(expected);
      await live.close();
    }
    results.alertChange = {
      changes,
      withoutHooks: { medianMs: median(without), p99Ms: percentile(without, 99) },
      withHooks: { hooks: 5, medianMs: median(withHooks), p99Ms: percentile(withHooks, 99) },
      ratio: median(withHooks) / median(without),
    };
    console.log(
      `  alert change, no hooks            median ${fmt(median(without), 2)} ms  p99 ${fmt(percentile(without, 99), 2)} ms`,
    );
    console.log(
      `  alert change, 5 hooks delivering  median ${fmt(median(withHooks), 2)} ms  p99 ${fmt(percentile(withHooks, 99), 2)} ms  = ${fmt(results.alertChange.ratio, 2)}x`,
    );
  } finally {
    await close();
    await receiver.close();
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await runWebhooksBench(webhookOptions(process.argv.slice(2)));
