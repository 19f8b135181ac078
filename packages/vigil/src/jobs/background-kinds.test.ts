import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Repository } from "../alerts/types.js";
import { createContentBackfillStates, queueContentBackfill } from "../content/content-backfill-job.js";
import { createServer, type ServerOptions, type VigilServer } from "../server/create-server.js";
import { scanRepositoryHistory } from "../server/scan-repository-history.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { detection } from "../test-support/api-fixture.js";
import { ExampleRandom } from "vigil-secrets-engine";
import { ISSUER_FAKES, startIssuerFakes, type RunningFake } from "../test-support/issuer-fakes.js";
import { CLI, runCli } from "../test-support/run-cli.js";
import { startWebhookReceiver, type WebhookReceiver } from "../test-support/webhook-receiver.js";
import { JOB_KINDS, type JobPolicy } from "./job-kind.js";
import type { JobRecord } from "./job-queue.js";
import type { JobRunner } from "./job-runner.js";
import { openJobRunner } from "./open-job-runner.js";

/**
 * The job kinds that used to run in in-process loops (validity checks, webhook deliveries, partner
 * reports, content backfills, custom-pattern scans), on both durable queues: the store's and BullMQ.
 * A serving node (`runJobs: false`, as `vigil serve --no-jobs`) queues; a worker (built as `vigil
 * worker` builds it, or the real `vigil worker` process) runs. For each kind: it runs on a worker,
 * is retried on failure, is dead after its attempts (and an operator's retry then completes it), and
 * running it again changes nothing.
 */
const sqlite = testDialects()[0]!;
const KEY = Buffer.alloc(32, 9).toString("base64");
const redisUrl = process.env.VIGIL_TEST_REDIS_URL?.trim() || undefined;
const fresh = (label: string): string => `${label}-${randomBytes(12).toString("hex")}`;
const FAST: JobPolicy = { attempts: 2, backoffMs: 30 };
/** Every process of a test (the one that queues sets a job's attempts) retries fast. */
const POLICIES: Record<string, JobPolicy> = Object.fromEntries(
  [JOB_KINDS.validityCheck, JOB_KINDS.webhookDelivery, JOB_KINDS.partnerReport, JOB_KINDS.contentBackfill, JOB_KINDS.customPatternDryRun, JOB_KINDS.customPatternBackfill].map((k) => [k, FAST]),
);

async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The store as a worker sees it while its database connection is down: `method` fails while `broken()`. */
function failing<T extends object>(target: T, method: keyof T, broken: () => boolean): T {
  return new Proxy(target, {
    get: (object, name, receiver): unknown =>
      name === method && broken() ? () => Promise.reject(new Error("connection refused")) : (Reflect.get(object, name, receiver)),
  });
}

/** A forge's REST API for the content backfill: one issue whose body holds the token; `failing` answers 500. */
async function startForge(token: string): Promise<{ url: string; requests: string[]; failing: boolean; close(): Promise<void> }> {
  const forge = { url: "", requests: [] as string[], failing: false, close: () => Promise.resolve() };
  const server: Server = createHttpServer((req, res) => {
    forge.requests.push(req.url ?? "");
    if (forge.failing) return void res.writeHead(500).end("down");
    const url = new URL(req.url ?? "/", "http://forge");
    const page = url.pathname.endsWith("/issues")
      ? [{ number: 1, title: "deploy", body: `the token is ${token}`, url: `${forge.url}/repos/acme/site/issues/1`, html_url: "https://forge.test/acme/site/issues/1" }]
      : [];
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(page));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  forge.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  forge.close = () => new Promise((resolve) => server.close(() => resolve()));
  return forge;
}

/** A partner's report endpoint; `failing` answers 500. */
async function startPartner(): Promise<{ url: string; bodies: string[]; failing: boolean; close(): Promise<void> }> {
  const partner = { url: "", bodies: [] as string[], failing: false, close: () => Promise.resolve() };
  const server = createHttpServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      partner.bodies.push(body);
      if (partner.failing) res.writeHead(500).end();
      else res.writeHead(200, { "content-type": "application/json" }).end("[]");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  partner.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/report`;
  partner.close = () => new Promise((resolve) => server.close(() => resolve()));
  return partner;
}

const backends = [
  { name: "the store's queue (SQLite)", redis: undefined as string | undefined, skip: false },
  { name: "BullMQ (Redis)", redis: redisUrl, skip: redisUrl === undefined },
];

describe.each(backends)("background job kinds on $name", (backend) => {
  if (backend.skip) {
    it.skip("skipped: VIGIL_TEST_REDIS_URL is unset", () => {});
    return;
  }
  let opened: TestStore;
  let prefix: string;
  let fake: RunningFake;
  let receiver: WebhookReceiver;
  let partner: Awaited<ReturnType<typeof startPartner>>;
  let forge: Awaited<ReturnType<typeof startForge>>;
  let repo: Repository;
  const forgeToken = fresh("forge-token");
  const live = fresh("live");
  const closers: (() => Promise<void>)[] = [];

  const runner = async (policies: Record<string, JobPolicy> = {}): Promise<JobRunner> =>
    openJobRunner({ db: opened.db, pollMs: 30, leaseMs: 3000, policies, ...(backend.redis ? { redisUrl: backend.redis, redisPrefix: prefix } : {}) });

  /** A process's services: `role` serving (queues only, its sweeps on) or worker (runs jobs, no sweeps). */
  async function node(role: "serving" | "worker", extra: Partial<ServerOptions> = {}, policies: Record<string, JobPolicy> = POLICIES): Promise<VigilServer> {
    const server = createServer({
      store: opened.store,
      pushProtection: opened.pushProtection,
      partners: opened.partners,
      webhooks: opened.webhooks,
      webhookDelivery: { allowPrivate: true },
      customPatterns: opened.customPatterns,
      validity: opened.validity,
      // One request per check: an issuer that does not answer is the job's retry to make.
      validityChecker: { testOnlyOrigin: fake.origin, maxAttempts: 1, budgetMs: 3000 },
      contentBackfills: createContentBackfillStates(opened.db),
      forgeToken,
      storeEnv: {},
      dataDir: opened.dataDir,
      scanHistory: scanRepositoryHistory,
      log: pino({ level: "silent" }),
      runner: await runner(policies),
      runJobs: role === "worker",
      background: role === "serving",
      validityIntervalMs: 100,
      outboxPollMs: 100,
      partnerIntervalMs: 100,
      ...extra,
    });
    closers.push(() => server.close());
    return server;
  }

  beforeEach(async () => {
    prefix = `vigil-test-kinds-${process.pid}-${randomBytes(4).toString("hex")}`;
    opened = await openTestStore(sqlite, { env: { VIGIL_SECRET_KEY: KEY } });
    fake = await startIssuerFakes([ISSUER_FAKES.slack_api_token!], [{ secret: live }]);
    receiver = await startWebhookReceiver();
    partner = await startPartner();
    forge = await startForge(new ExampleRandom(7).githubToken("ghp"));
    repo = await opened.store.createRepository({ owner: "acme", name: "site", isPublic: true, mirrorPath: `${opened.dataDir}/repos/acme/site.git`, sourceUrl: null });
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await fake.close();
    await receiver.close();
    await partner.close();
    await forge.close();
    if (backend.redis) {
      const redis = new Redis(backend.redis);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    await opened.dispose();
  });

  const jobsOf = async (server: VigilServer, kind: string, state?: JobRecord["state"]): Promise<JobRecord[]> =>
    server.runner.queue.list({ kind, ...(state ? { state } : {}) });
  const deadJob = (server: VigilServer, kind: string): Promise<JobRecord> =>
    until(`a dead ${kind} job`, async () => (await jobsOf(server, kind, "dead"))[0]);
  const completed = (server: VigilServer, kind: string, count = 1): Promise<JobRecord[]> =>
    until(`${count} completed ${kind} jobs`, async () => {
      const done = await jobsOf(server, kind, "completed");
      return done.length >= count ? done : undefined;
    });
  const slackAlert = async (): Promise<void> => {
    await opened.store.recordDetections(repo.id, [detection("slack_api_token", "Slack API Token", "Slack", live, "a.env", 1)]);
  };

  it("a real `vigil worker` process runs what a serving node (--no-jobs) queues: validity, webhook, partner, content backfill, custom-pattern dry run", async () => {
    await opened.validity.setEnabled(repo.orgId, true);
    await opened.webhooks.createHook({ scope: "repository", repoId: repo.id, url: receiver.url, contentType: "json", secret: null, insecureSsl: false, events: ["secret_scanning_alert"], active: true });
    await opened.partners.addPartner({ name: "slackish", url: partner.url, secretTypes: ["slack_api_token"] });
    const serving = await node("serving");
    await serving.listen(0);
    const child: ChildProcess = spawn(process.execPath, [CLI, "worker", "--data-dir", opened.dataDir, "--concurrency", "4", "--allow-private-webhooks", "--grace", "1"], {
      env: {
        ...process.env,
        VIGIL_SECRET_KEY: KEY,
        VIGIL_LOG_LEVEL: "warn",
        VIGIL_TEST_ONLY_VALIDITY_ORIGIN: fake.origin,
        VIGIL_FORGE_TOKEN: forgeToken,
        VIGIL_JOB_LEASE_MS: "3000",
        ...(backend.redis ? { VIGIL_REDIS_URL: backend.redis, VIGIL_REDIS_PREFIX: prefix } : {}),
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    closers.push(async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
    });

    await slackAlert();
    // The content backfill, queued from the command line (`vigil repo backfill --queue`): the worker runs it with its own token.
    const queued = runCli(["repo", "backfill", "acme/site", "--forge-url", forge.url, "--queue", "--data-dir", opened.dataDir], {
      env: { VIGIL_SECRET_KEY: KEY, ...(backend.redis ? { VIGIL_REDIS_URL: backend.redis, VIGIL_REDIS_PREFIX: prefix } : {}) },
    });
    expect(queued.stderr).toBe("vigil: content backfill of acme/site queued\n");
    expect(queued.status).toBe(0);
    const [pattern] = await opened.customPatterns.createMany({ scope: "repository", repoId: repo.id }, [
      { name: "acme", pattern: "live-[0-9a-f]{24}", startDelimiter: null, endDelimiter: null, mustMatch: null, mustNotMatch: null, state: "unpublished", pushProtectionEnabled: false },
    ], null);
    const dryRun = await opened.customPatterns.createDryRun({ patternId: pattern!.id, patternVersion: pattern!.version, repoIds: [repo.id], createdBy: null });
    await serving.runner.enqueue(JOB_KINDS.customPatternDryRun, { dryRunId: dryRun.id, patternId: pattern!.id, repoIds: [repo.id] });

    await until("the alert checked active", async () => (await opened.store.getAlert(repo.id, 1))?.validity === "active", 60_000);
    await receiver.waitFor(1, 30_000);
    await until("the partner report", () => partner.bodies.length > 0);
    await until("the content alert", async () => (await opened.store.listAlerts({ repoIds: [repo.id], perPage: 10, page: 1, sort: "created", direction: "asc" })).alerts.length === 2);
    await until("the dry run", async () => (await opened.customPatterns.latestDryRun(pattern!.id))?.status === "completed");
    // Nothing ran in the serving node: every job was the worker's.
    for (const kind of [JOB_KINDS.validityCheck, JOB_KINDS.webhookDelivery, JOB_KINDS.partnerReport, JOB_KINDS.contentBackfill, JOB_KINDS.customPatternDryRun])
      await completed(serving, kind);
    expect(JSON.parse(partner.bodies[0]!)).toEqual([expect.objectContaining({ token: live, type: "slack_api_token" })]);
    expect(forge.requests.length).toBeGreaterThan(0);
    expect(stderr).toContain("worker started");
  }, 120_000);

  it("validity-check: an issuer that gives no answer fails the job, retried, then dead; the operator's retry completes it; again changes nothing", async () => {
    await opened.validity.setEnabled(repo.orgId, true);
    await fake.close();
    const worker = await node("worker", {}, { [JOB_KINDS.validityCheck]: FAST });
    const serving = await node("serving");
    await serving.listen(0);
    await slackAlert();
    const dead = await deadJob(worker, JOB_KINDS.validityCheck);
    expect(dead).toMatchObject({ attempts: 2, maxAttempts: 2, payload: { repoId: repo.id, number: 1, source: "on_creation" } });
    expect(dead.lastError).toMatch(/the issuer gave no answer/);
    expect((await opened.store.getAlert(repo.id, 1))?.validity).toBe("unknown");

    fake = await startIssuerFakes([ISSUER_FAKES.slack_api_token!], [{ secret: live }]);
    const up = await node("worker", { validityChecker: { testOnlyOrigin: fake.origin, maxAttempts: 1, budgetMs: 3000 } }, { [JOB_KINDS.validityCheck]: FAST });
    await worker.close();
    expect(await up.runner.queue.retry(dead.id)).toBeDefined();
    await until("the alert checked active", async () => (await opened.store.getAlert(repo.id, 1))?.validity === "active");
    // A check the sweep queued while the first one ran (its key was free) may still be waiting for a retry: let it settle.
    await until("no validity check waiting", async () => (await jobsOf(up, JOB_KINDS.validityCheck, "queued")).length + (await jobsOf(up, JOB_KINDS.validityCheck, "running")).length === 0);
    await up.runner.idle();
    const check = await opened.validity.getCheck((await opened.store.getAlert(repo.id, 1))!.id);
    const asked = fake.requests.length;
    // The same job again (a worker killed after the work, before recording it done): nothing changes.
    await up.runner.enqueue(JOB_KINDS.validityCheck, dead.payload);
    await completed(up, JOB_KINDS.validityCheck, 2);
    expect(fake.requests.length).toBe(asked);
    expect(await opened.validity.getCheck((await opened.store.getAlert(repo.id, 1))!.id)).toEqual(check);
  }, 60_000);

  it("webhook-delivery: a pass that cannot reach the store fails, retried, then dead; retried it delivers once; again sends nothing", async () => {
    await opened.webhooks.createHook({ scope: "repository", repoId: repo.id, url: receiver.url, contentType: "json", secret: null, insecureSsl: false, events: ["secret_scanning_alert"], active: true });
    let broken = true;
    const webhooks = failing(opened.webhooks, "listDueDeliveries", () => broken);
    const worker = await node("worker", { webhooks }, { [JOB_KINDS.webhookDelivery]: FAST });
    await slackAlert();
    await worker.runner.enqueue(JOB_KINDS.webhookDelivery, {}, { key: JOB_KINDS.webhookDelivery });
    const dead = await deadJob(worker, JOB_KINDS.webhookDelivery);
    expect(dead).toMatchObject({ attempts: 2, lastError: "connection refused" });
    expect(receiver.received).toHaveLength(0);
    broken = false;
    await worker.runner.queue.retry(dead.id);
    await receiver.waitFor(1, 20_000);
    await completed(worker, JOB_KINDS.webhookDelivery);
    await worker.runner.enqueue(JOB_KINDS.webhookDelivery, {});
    await completed(worker, JOB_KINDS.webhookDelivery, 2);
    await worker.runner.idle();
    expect(receiver.received).toHaveLength(1);
    expect((await opened.webhooks.listDeliveries((await opened.webhooks.listHooksForRepository(repo.id, repo.orgId))[0]!.id, { perPage: 10 })).length).toBe(1);
  }, 60_000);

  it("partner-report: a pass that cannot reach the store fails, retried, then dead; retried it reports once; again reports nothing", async () => {
    await opened.partners.addPartner({ name: "slackish", url: partner.url, secretTypes: ["slack_api_token"] });
    let broken = true;
    const partners = failing(opened.partners, "claimDueReports", () => broken);
    const worker = await node("worker", { partners }, { [JOB_KINDS.partnerReport]: FAST });
    const serving = await node("serving");
    await serving.listen(0);
    await slackAlert();
    const dead = await deadJob(worker, JOB_KINDS.partnerReport);
    expect(dead).toMatchObject({ attempts: 2, lastError: "connection refused" });
    expect(partner.bodies).toHaveLength(0);
    broken = false;
    await worker.runner.queue.retry(dead.id);
    await until("the report", () => partner.bodies.length === 1);
    await completed(worker, JOB_KINDS.partnerReport);
    await worker.runner.enqueue(JOB_KINDS.partnerReport, {});
    await completed(worker, JOB_KINDS.partnerReport, 2);
    expect(partner.bodies).toHaveLength(1);
    expect((await opened.partners.listReports()).map((r) => r.status)).toEqual(["reported"]);
  }, 60_000);

  it("content-backfill: a forge that fails fails the job, retried, then dead; retried it records the alert; again asks the forge nothing", async () => {
    forge.failing = true;
    const worker = await node("worker", {}, { [JOB_KINDS.contentBackfill]: FAST });
    await queueContentBackfill(worker.runner, repo, { forgeUrl: forge.url, forgeRepo: "acme/site" });
    const dead = await deadJob(worker, JOB_KINDS.contentBackfill);
    expect(dead.attempts).toBe(2);
    expect(dead.lastError).toMatch(/answered 500/);
    expect(JSON.stringify(dead.payload)).not.toContain(forgeToken);
    forge.failing = false;
    await worker.runner.queue.retry(dead.id);
    await completed(worker, JOB_KINDS.contentBackfill);
    const alerts = (await opened.store.listAlerts({ repoIds: [repo.id], perPage: 10, page: 1, sort: "created", direction: "asc" })).alerts;
    expect(alerts).toHaveLength(1);
    const scans = await opened.store.listScans(repo.id);
    const asked = forge.requests.length;
    await queueContentBackfill(worker.runner, repo, { forgeUrl: forge.url, forgeRepo: "acme/site" });
    await completed(worker, JOB_KINDS.contentBackfill, 2);
    expect(forge.requests.length).toBe(asked);
    expect(await opened.store.listScans(repo.id)).toEqual(scans);
  }, 60_000);

  it("custom-pattern-dry-run and -backfill: a store failure fails them, retried, then dead; retried they complete; again changes nothing", async () => {
    // A repository with history: the generated one holds the pattern's matches.
    const { generateHistory } = await import("../test-support/generated-history.js");
    const history = generateHistory({ commits: 3, filesPerCommit: 1, fileBytes: 256, secretEvery: 1, seed: 4242 });
    const { execFileSync } = await import("node:child_process");
    execFileSync("git", ["clone", "--quiet", "--mirror", history.path, repo.mirrorPath]);
    const [pattern] = await opened.customPatterns.createMany({ scope: "repository", repoId: repo.id }, [
      { name: "ghp", pattern: "ghp_[A-Za-z0-9]{36}", startDelimiter: null, endDelimiter: null, mustMatch: null, mustNotMatch: null, state: "published", pushProtectionEnabled: false },
    ], null);
    let broken = true;
    const store = failing(opened.store, "getRepositoryById", () => broken);
    const worker = await node("worker", { store }, { [JOB_KINDS.customPatternDryRun]: FAST, [JOB_KINDS.customPatternBackfill]: FAST });
    const dryRun = await opened.customPatterns.createDryRun({ patternId: pattern!.id, patternVersion: pattern!.version, repoIds: [repo.id], createdBy: null });
    await worker.runner.enqueue(JOB_KINDS.customPatternDryRun, { dryRunId: dryRun.id, patternId: pattern!.id, repoIds: [repo.id] });
    await worker.runner.enqueue(JOB_KINDS.customPatternBackfill, { patternId: pattern!.id, version: pattern!.version });
    const deadDry = await deadJob(worker, JOB_KINDS.customPatternDryRun);
    const deadBackfill = await deadJob(worker, JOB_KINDS.customPatternBackfill);
    expect(deadDry).toMatchObject({ attempts: 2, lastError: "connection refused" });
    expect(deadBackfill).toMatchObject({ attempts: 2 });
    expect((await opened.customPatterns.latestDryRun(pattern!.id))?.status).toBe("failed");
    broken = false;
    await worker.runner.queue.retry(deadDry.id);
    await worker.runner.queue.retry(deadBackfill.id);
    await completed(worker, JOB_KINDS.customPatternDryRun);
    await completed(worker, JOB_KINDS.customPatternBackfill);
    const run = await opened.customPatterns.latestDryRun(pattern!.id);
    expect(run).toMatchObject({ status: "completed", resultCount: 3 });
    const alerts = (await opened.store.listAlerts({ repoIds: [repo.id], perPage: 10, page: 1, sort: "created", direction: "asc" })).alerts;
    expect(alerts).toHaveLength(3);
    const scans = await opened.store.listScans(repo.id);
    expect(scans.filter((s) => s.kind === "custom_pattern_backfill" && s.status === "completed")).toHaveLength(1);
    await worker.runner.enqueue(JOB_KINDS.customPatternDryRun, deadDry.payload);
    await worker.runner.enqueue(JOB_KINDS.customPatternBackfill, deadBackfill.payload);
    await completed(worker, JOB_KINDS.customPatternDryRun, 2);
    await completed(worker, JOB_KINDS.customPatternBackfill, 2);
    expect(await opened.customPatterns.latestDryRun(pattern!.id)).toEqual(run);
    expect(await opened.store.listScans(repo.id)).toEqual(scans);
    expect((await opened.store.listAlerts({ repoIds: [repo.id], perPage: 10, page: 1, sort: "created", direction: "asc" })).alerts).toHaveLength(3);
  }, 60_000);
});
