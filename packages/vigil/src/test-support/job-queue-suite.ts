import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJobKinds, type JobKind, type JobKinds } from "../jobs/job-kind.js";
import type { JobQueue, JobRecord, JobWorker } from "../jobs/job-queue.js";

/** One backend under test: queues over one shared place (a store, a Redis prefix), and how a child process reaches it. */
export interface QueueHarness {
  queue(kinds: JobKinds): JobQueue;
  /** Environment for `job-queue-child.js` to open the same queue; undefined for a queue of one process (memory). */
  childEnv: Record<string, string> | undefined;
  /** The lease (lock) a worker holds a job for; the kill -9 test waits this long. */
  leaseMs: number;
  dispose(): Promise<void>;
}

/** The built child (the test setup builds with tsc): a separate worker process, as `vigil worker` is. */
const CHILD = fileURLToPath(new URL("../../dist/test-support/job-queue-child.js", import.meta.url));

const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/**
 * The job suite every `JobQueue` backend passes: the store's queue (SQLite, PostgreSQL) and BullMQ.
 * `makeHarness` returns undefined when the backend's service is not configured: the suite is skipped.
 */
export function describeJobQueue(name: string, makeHarness: () => Promise<QueueHarness>, skipReason?: string): void {
  describe.skipIf(skipReason !== undefined)(`job queue: ${name}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    let harness: QueueHarness;
    const queues: JobQueue[] = [];
    const workers: JobWorker[] = [];
    const open = (kinds: JobKind[]): { queue: JobQueue; kinds: JobKinds } => {
      const registry = createJobKinds(kinds);
      const queue = harness.queue(registry);
      queues.push(queue);
      return { queue, kinds: registry };
    };
    const work = (queue: JobQueue, options: Parameters<JobQueue["work"]>[0] = {}): JobWorker => {
      const worker = queue.work(options);
      workers.push(worker);
      return worker;
    };

    beforeEach(async () => {
      harness = await makeHarness();
    });
    afterEach(async () => {
      for (const worker of workers.splice(0)) await worker.stop({ graceMs: 0 });
      for (const queue of queues.splice(0)) await queue.close();
      await harness.dispose();
    });

    it("retries a failing job with exponential backoff, then completes it", async () => {
      const runs: number[] = [];
      const { queue } = open([
        {
          name: "flaky",
          attempts: 3,
          backoffMs: 150,
          run: () => {
            runs.push(Date.now());
            return runs.length < 3 ? Promise.reject(new Error(`attempt ${runs.length} failed`)) : Promise.resolve();
          },
        },
      ]);
      const id = await queue.enqueue("flaky", { n: 1 });
      const worker = work(queue);
      await until(async () => (await queue.get(id!))?.state === "completed");
      expect(runs).toHaveLength(3);
      // Doubling: at least 150 ms before the second run, 300 ms before the third.
      expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(140);
      expect(runs[2]! - runs[1]!).toBeGreaterThanOrEqual(290);
      const job = await queue.get(id!);
      expect(job).toMatchObject({ kind: "flaky", state: "completed", attempts: 3, payload: { n: 1 } });
      await worker.idle();
    });

    it("moves a job out of attempts to the dead letters, where an operator retries it", async () => {
      let healthy = false;
      const { queue } = open([
        {
          name: "fragile",
          attempts: 2,
          backoffMs: 10,
          run: () => (healthy ? Promise.resolve() : Promise.reject(new Error("the issuer answered 503"))),
        },
      ]);
      const id = (await queue.enqueue("fragile", { alert: 7 }))!;
      work(queue);
      await until(async () => (await queue.get(id))?.state === "dead");
      const dead = await queue.list({ state: "dead" });
      expect(dead.map((j) => j.id)).toEqual([id]);
      expect(dead[0]).toMatchObject({ kind: "fragile", attempts: 2, maxAttempts: 2, lastError: "the issuer answered 503" });
      expect(await queue.retry("999999")).toBeUndefined();
      healthy = true;
      const retried = await queue.retry(id);
      expect(retried?.state === "queued" || retried?.state === "running" || retried?.state === "completed").toBe(true);
      await until(async () => (await queue.get(id))?.state === "completed");
      expect(await queue.list({ state: "dead" })).toEqual([]);
      // A completed job is not dead: nothing to retry.
      expect(await queue.retry(id)).toBeUndefined();
    });

    it("aborts a job at its timeout and counts it as a failure", async () => {
      let sawAbort = false;
      const { queue } = open([
        {
          name: "slow",
          attempts: 1,
          timeoutMs: 200,
          run: (_payload, { signal }) =>
            new Promise<void>((resolve) =>
              signal.addEventListener("abort", () => {
                sawAbort = true;
                // Returns quietly, as a scan does when stopped: still a timeout, not a success.
                resolve();
              }),
            ),
        },
      ]);
      const id = (await queue.enqueue("slow", {}))!;
      work(queue);
      await until(async () => (await queue.get(id))?.state === "dead");
      expect(sawAbort).toBe(true);
      expect((await queue.get(id))?.lastError).toMatch(/timed out after/);
    });

    it("coalesces a job asked for again while one with its key waits", async () => {
      const seen: unknown[] = [];
      const { queue } = open([{ name: "scan", run: (payload) => Promise.resolve(void seen.push(payload)) }]);
      const first = await queue.enqueue("scan", { repo: 1 }, { key: "scan:1" });
      const again = await queue.enqueue("scan", { repo: 1 }, { key: "scan:1" });
      const other = await queue.enqueue("scan", { repo: 2 }, { key: "scan:2" });
      expect(first).not.toBeNull();
      expect(again).toBeNull();
      expect(other).not.toBeNull();
      const worker = work(queue);
      await until(() => seen.length === 2);
      await worker.idle();
      // Once it has run, the key is free again: a later push is scanned.
      expect(await queue.enqueue("scan", { repo: 1 }, { key: "scan:1" })).not.toBeNull();
      await until(() => seen.length === 3);
    });

    it("runs a push's incremental scan before a backfill queued earlier", async () => {
      const order: string[] = [];
      const { queue } = open([
        { name: "history-scan", priority: 8, run: (p) => Promise.resolve(void order.push(`backfill ${String(p.repo)}`)) },
        { name: "incremental-scan", priority: 2, run: (p) => Promise.resolve(void order.push(`push ${String(p.repo)}`)) },
      ]);
      for (let repo = 1; repo <= 4; repo++) await queue.enqueue("history-scan", { repo });
      await queue.enqueue("incremental-scan", { repo: 9 });
      const worker = work(queue, { concurrency: 1 });
      await until(() => order.length === 5);
      await worker.idle();
      expect(order[0]).toBe("push 9");
      // Backfills among themselves: each once (BullMQ may reorder equal priorities after a job gave way).
      expect(order.slice(1).sort()).toEqual(["backfill 1", "backfill 2", "backfill 3", "backfill 4"]);
    });

    it("never runs two jobs of one repository at once, across workers, while other repositories run in parallel", async () => {
      const active = new Map<string, number>();
      let maxPerGroup = 0;
      let maxOverall = 0;
      let finished = 0;
      const kind: JobKind = {
        name: "history-scan",
        run: async (payload) => {
          const group = String(payload.repo);
          active.set(group, (active.get(group) ?? 0) + 1);
          maxPerGroup = Math.max(maxPerGroup, active.get(group)!);
          maxOverall = Math.max(maxOverall, [...active.values()].reduce((a, b) => a + b, 0));
          await new Promise((resolve) => setTimeout(resolve, 60));
          active.set(group, active.get(group)! - 1);
          finished++;
        },
      };
      const a = open([kind]);
      const b = open([{ ...kind }]);
      for (let i = 0; i < 6; i++) await a.queue.enqueue("history-scan", { repo: "r1", i }, { group: "repo:1" });
      for (let i = 0; i < 3; i++) await a.queue.enqueue("history-scan", { repo: `other${i}` }, { group: `repo:${10 + i}` });
      work(a.queue, { concurrency: 3 });
      work(b.queue, { concurrency: 3 });
      await until(() => finished === 9, 30_000);
      expect(maxPerGroup).toBe(1);
      expect(maxOverall).toBeGreaterThan(1);
    });

    it("shares the workers fairly across organizations: a large one does not starve a small one", async () => {
      const order: string[] = [];
      const { queue } = open([{ name: "history-scan", run: (p) => Promise.resolve(void order.push(String(p.org))) }]);
      for (let i = 0; i < 30; i++) await queue.enqueue("history-scan", { org: "big", i }, { fairKey: "org:big" });
      for (let i = 0; i < 3; i++) await queue.enqueue("history-scan", { org: "small", i }, { fairKey: "org:small" });
      const worker = work(queue, { concurrency: 1 });
      await until(() => order.length === 33, 30_000);
      await worker.idle();
      // Round-robin: the small organization's three jobs are among the first eight, not the last three.
      const lastSmall = order.lastIndexOf("small");
      expect(lastSmall).toBeLessThan(8);
    });

    it("hands a running job back at shutdown; another worker runs it without losing an attempt", async () => {
      let starts = 0;
      let release = false;
      const kind: JobKind = {
        name: "mirror-fetch",
        attempts: 1,
        run: async (_p, { signal }) => {
          starts++;
          await until(() => release || signal.aborted, 30_000);
        },
      };
      const first = open([kind]);
      const id = (await first.queue.enqueue("mirror-fetch", { repo: 1 }))!;
      const w1 = first.queue.work({ concurrency: 1 });
      await until(async () => (await first.queue.get(id))?.state === "running");
      await w1.stop({ graceMs: 50 });
      const handedBack = await first.queue.get(id);
      expect(handedBack?.state).toBe("queued");
      release = true;
      const second = open([{ ...kind }]);
      work(second.queue);
      await until(async () => (await second.queue.get(id))?.state === "completed");
      // One attempt allowed: a hand-back did not use it up.
      expect(starts).toBe(2);
    });

    it("a worker killed with -9 mid-job loses nothing: the job returns when its lease expires", async (context) => {
      if (!harness.childEnv) return context.skip("a queue in one process's memory dies with it");
      const dir = mkdtempSync(join(tmpdir(), "vigil-jobs-kill-"));
      try {
        const marker = join(dir, "started");
        const ran: JobRecord[] = [];
        const { queue } = open([
          {
            name: "history-scan",
            attempts: 3,
            run: async (payload, context) => {
              ran.push({ ...(await queue.get(context.jobId))!, payload });
            },
          },
        ]);
        const id = (await queue.enqueue("history-scan", { repo: 42 }, { group: "repo:42" }))!;
        const child = spawn(process.execPath, [CHILD], {
          env: { ...process.env, ...harness.childEnv, JOB_MARKER: marker, JOB_LEASE_MS: String(harness.leaseMs) },
          stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        await until(() => existsSync(marker) || child.exitCode !== null, 30_000);
        expect(stderr).toBe("");
        expect(readFileSync(marker, "utf8")).toBe(id);
        expect((await queue.get(id))?.state).toBe("running");
        child.kill("SIGKILL");
        await new Promise((resolve) => child.once("exit", resolve));
        work(queue);
        await until(async () => (await queue.get(id))?.state === "completed", 30_000);
        expect(ran).toHaveLength(1);
        expect(ran[0]?.payload).toEqual({ repo: 42 });
        expect((await queue.get(id))?.attempts).toBe(2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
