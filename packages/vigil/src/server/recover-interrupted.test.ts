import { execFileSync } from "node:child_process";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openJobRunner } from "../jobs/open-job-runner.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { generateHistory } from "../test-support/generated-history.js";
import { createServer, type VigilServer } from "./create-server.js";
import type { HistoryScanner } from "./repository-service.js";

const sqlite = testDialects()[0]!;
const KEY = Buffer.alloc(32, 5).toString("base64");

/**
 * A serving node that starts (or restarts) while a worker on another machine scans: the scan that
 * worker runs is not marked interrupted; a scan nobody runs any more is.
 */
describe("recoverInterrupted leaves a live worker's scan alone", () => {
  let opened: TestStore;
  const servers: VigilServer[] = [];
  let release: () => void = () => undefined;

  beforeEach(async () => {
    opened = await openTestStore(sqlite, { env: { VIGIL_SECRET_KEY: KEY } });
  });
  afterEach(async () => {
    release();
    for (const server of servers.splice(0).reverse()) await server.close();
    await opened.dispose();
  });

  async function node(runJobs: boolean, scanHistory: HistoryScanner): Promise<VigilServer> {
    const server = createServer({
      store: opened.store,
      pushProtection: opened.pushProtection,
      storeEnv: {},
      dataDir: opened.dataDir,
      scanHistory,
      log: pino({ level: "silent" }),
      runner: await openJobRunner({ db: opened.db, pollMs: 30, leaseMs: 3000 }),
      runJobs,
      background: false,
    });
    servers.push(server);
    return server;
  }

  it("skips the scan whose job runs now; interrupts one left running with no job", async () => {
    let ready: () => void = () => undefined;
    const started = { promise: new Promise<void>((resolve) => (ready = resolve)), resolve: () => ready() };
    const blocked = new Promise<void>((resolve) => (release = resolve));
    // The worker's scan: it holds its job (and lease) until released.
    const worker = await node(true, async () => {
      started.resolve();
      await blocked;
      return { findings: [], warnings: [] };
    });
    const serving = await node(false, () => Promise.reject(new Error("the serving node runs no scan")));
    const history = generateHistory({ commits: 1, filesPerCommit: 1, fileBytes: 64, secretEvery: 0, seed: 1 });
    const live = await serving.repositories.register({ owner: "acme", name: "live", sourceUrl: null });
    execFileSync("git", ["clone", "--quiet", "--mirror", history.path, live.mirrorPath]);
    await serving.repositories.scheduleScan(live, "backfill");
    await started.promise;
    expect((await opened.store.listScans(live.id))[0]?.status).toBe("running");

    // Another repository's scan left running by a process that is gone (no job holds it).
    const orphan = await opened.store.createRepository({ owner: "acme", name: "orphan", mirrorPath: `${opened.dataDir}/repos/acme/orphan.git`, sourceUrl: null });
    const left = await opened.store.createScan({ repoId: orphan.id, kind: "backfill", type: "git" });
    await opened.store.updateScan(left.id, { status: "running", startedAt: new Date().toISOString() });

    expect(await serving.repositories.recoverInterrupted()).toBe(1);
    expect((await opened.store.listScans(live.id))[0]?.status).toBe("running");
    const orphanScans = await opened.store.listScans(orphan.id);
    expect(orphanScans.map((s) => s.status)).toEqual(["pending", "failed"]);

    release();
    await worker.runner.idle();
    expect((await opened.store.listScans(live.id)).map((s) => s.status)).toEqual(["completed"]);
  }, 30_000);
});
