import { randomBytes } from "node:crypto";
import { DelayedError, Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { JOB_DEFAULTS, MAX_JOB_PRIORITY, type JobKinds, type JobPayload } from "./job-kind.js";
import { emptyCounts, type JobQueue, type JobRecord, type JobState, type JobWorker, type WorkOptions } from "./job-queue.js";
import { executeJob, JobAbort } from "./execute-job.js";

export interface BullJobQueueOptions {
  /** `redis://…` (`VIGIL_REDIS_URL`). */
  url: string;
  /** Key prefix of every queue and lock (default `vigil`): two installations can share one Redis. */
  prefix?: string;
  kinds: JobKinds;
  /** BullMQ's lock duration: a killed worker's jobs return after this (default 30 s). */
  leaseMs?: number;
}

interface JobData {
  payload: JobPayload;
  key: string | null;
  group: string | null;
  fairKey: string;
  priority: number;
}

/** BullMQ orders by priority (1 first); Vigil's priority is the high part, the fair rank the low part. */
const RANK_SPAN = 100_000;
const MAX_RANK = 90_000;

const BULL_STATES: Record<JobState, ("waiting" | "prioritized" | "delayed" | "active" | "completed" | "failed" | "waiting-children")[]> = {
  queued: ["waiting", "prioritized", "delayed", "waiting-children"],
  running: ["active"],
  completed: ["completed"],
  dead: ["failed"],
};

/**
 * Jobs in BullMQ, one queue per kind (`<prefix>:<kind>`), used when `VIGIL_REDIS_URL` is set. BullMQ
 * gives durability, retries with exponential backoff, the failed set (Vigil's dead letters) and
 * stalled-job recovery (a killed worker's job returns when its lock expires). Vigil adds what the
 * open-source BullMQ leaves out: one job per group at a time (a Redis lock; a job whose group is
 * busy is delayed briefly), fair ranks per organization, and coalescing by key while queued.
 */
export function createBullJobQueue(options: BullJobQueueOptions): JobQueue {
  const { kinds } = options;
  const prefix = options.prefix ?? "vigil";
  const leaseMs = options.leaseMs ?? 30_000;
  const connection = { url: options.url, maxRetriesPerRequest: null };
  const redis = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: false });
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  const k = (...parts: string[]): string => [prefix, "vigil", ...parts].join(":");

  const queueOf = (kind: string): Queue => {
    if (!kinds.get(kind)) throw new Error(`unknown job kind "${kind}"`);
    let queue = queues.get(kind);
    if (!queue) {
      queue = new Queue(kind, { connection, prefix });
      queues.set(kind, queue);
    }
    return queue;
  };
  const parseId = (id: string): { kind: string; bullId: string } | undefined => {
    const at = id.indexOf(":");
    if (at <= 0 || !kinds.get(id.slice(0, at))) return undefined;
    return { kind: id.slice(0, at), bullId: id.slice(at + 1) };
  };

  async function toRecord(kind: string, job: Job<JobData>): Promise<JobRecord> {
    const bullState = await job.getState();
    const state: JobState =
      bullState === "active" ? "running" : bullState === "completed" ? "completed" : bullState === "failed" ? "dead" : "queued";
    return {
      id: `${kind}:${job.id}`,
      kind,
      state,
      payload: job.data.payload,
      key: job.data.key,
      group: job.data.group,
      priority: job.data.priority,
      attempts: state === "running" ? job.attemptsStarted : Math.max(job.attemptsMade, state === "completed" ? job.attemptsStarted : 0),
      maxAttempts: job.opts.attempts ?? 1,
      lastError: job.failedReason || null,
      runAt: state === "queued" ? new Date(job.timestamp + (job.opts.delay ?? 0)).toISOString() : null,
      createdAt: new Date(job.timestamp).toISOString(),
      completedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    };
  }

  const queue: JobQueue = {
    backend: "bullmq",
    async enqueue(kindName, payload, enqueueOptions = {}) {
      const kind = kinds.get(kindName);
      if (!kind) throw new Error(`unknown job kind "${kindName}"`);
      const priority = enqueueOptions.priority ?? kind.priority ?? JOB_DEFAULTS.priority;
      if (!Number.isInteger(priority) || priority < 0 || priority > MAX_JOB_PRIORITY) throw new Error(`job priority must be 0..${MAX_JOB_PRIORITY}`);
      const bullQueue = queueOf(kindName);
      const marker = enqueueOptions.key ? k("queued", kindName, enqueueOptions.key) : undefined;
      if (marker) {
        const claimed = await redis.set(marker, "pending", "NX");
        if (claimed === null) {
          // A marker whose job is no longer waiting (removed, or a crash between the two writes) is stale.
          const holder = await redis.get(marker);
          const job = holder && holder !== "pending" ? await bullQueue.getJob(holder) : undefined;
          const state = job ? await job.getState() : "unknown";
          if (holder === "pending" || ["waiting", "prioritized", "delayed"].includes(state)) return null;
          await redis.set(marker, "pending");
        }
      }
      const fairKey = enqueueOptions.fairKey ?? "";
      const rank = Math.min(await redis.incr(k("fair", kindName, String(priority), fairKey)), MAX_RANK);
      const data: JobData = { payload, key: enqueueOptions.key ?? null, group: enqueueOptions.group ?? null, fairKey, priority };
      try {
        const job = await bullQueue.add(kindName, data, {
          priority: priority * RANK_SPAN + rank,
          attempts: kind.attempts ?? JOB_DEFAULTS.attempts,
          backoff: { type: "exponential", delay: kind.backoffMs ?? JOB_DEFAULTS.backoffMs },
          removeOnComplete: { age: 86_400, count: 10_000 },
          removeOnFail: false,
          ...(enqueueOptions.delayMs ? { delay: enqueueOptions.delayMs } : {}),
        });
        if (marker) await redis.set(marker, job.id!);
        return `${kindName}:${job.id}`;
      } catch (error) {
        if (marker) await redis.del(marker);
        throw error;
      }
    },
    async get(id) {
      const parsed = parseId(id);
      if (!parsed) return undefined;
      const job = (await queueOf(parsed.kind).getJob(parsed.bullId)) as Job<JobData> | undefined;
      return job ? toRecord(parsed.kind, job) : undefined;
    },
    async list(filter = {}) {
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
      const names = filter.kind ? (kinds.get(filter.kind) ? [filter.kind] : []) : kinds.names();
      const types = filter.state ? BULL_STATES[filter.state] : Object.values(BULL_STATES).flat();
      const records: JobRecord[] = [];
      for (const name of names) {
        const jobs = (await queueOf(name).getJobs(types, 0, limit - 1, false)) as Job<JobData>[];
        for (const job of jobs) if (job) records.push(await toRecord(name, job));
      }
      return records.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
    },
    async retry(id) {
      const parsed = parseId(id);
      if (!parsed) return undefined;
      const job = await queueOf(parsed.kind).getJob(parsed.bullId);
      if (!job || (await job.getState()) !== "failed") return undefined;
      await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
      return queue.get(id);
    },
    async counts() {
      const counts: Record<string, Record<JobState, number>> = {};
      for (const name of kinds.names()) {
        const c = await queueOf(name).getJobCounts("waiting", "prioritized", "delayed", "waiting-children", "active", "completed", "failed");
        const entry = emptyCounts();
        entry.queued = (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0) + (c["waiting-children"] ?? 0);
        entry.running = c.active ?? 0;
        entry.completed = c.completed ?? 0;
        entry.dead = c.failed ?? 0;
        counts[name] = entry;
      }
      return counts;
    },
    work(workOptions = {}) {
      return startWorker(workOptions);
    },
    async close() {
      await Promise.all(workers.map((w) => w.close(true)));
      await Promise.all([...queues.values()].map((q) => q.close()));
      redis.disconnect();
    },
  };

  function startWorker(workOptions: WorkOptions): JobWorker {
    const concurrency = Math.max(1, workOptions.concurrency ?? 2);
    const running = new Map<string, AbortController>();
    // One limit across kinds: each kind's BullMQ worker waits here for a slot.
    let slots = concurrency;
    const waiting: (() => void)[] = [];
    const acquire = (): Promise<void> =>
      slots > 0 ? Promise.resolve(void slots--) : new Promise<void>((resolve) => waiting.push(resolve));
    const releaseSlot = (): void => {
      const next = waiting.shift();
      if (next) next();
      else slots++;
    };
    const mine: Worker[] = [];
    const served = new Set<string>();

    const serve = (name: string): void => {
      served.add(name);
      const kind = kinds.get(name)!;
      const limit = Math.min(concurrency, workOptions.perKind?.[name] ?? kind.concurrency ?? concurrency);
      const worker = new Worker<JobData>(
        name,
        async (job, token) => {
          const data = job.data;
          // BullMQ orders by priority within a queue, and queues are per kind: a job gives way while jobs of
          // a more urgent kind (a push's scan before a backfill) wait for this worker's free slots.
          const urgent = kinds.names().filter((n) => n !== name && (kinds.get(n)?.priority ?? JOB_DEFAULTS.priority) < data.priority);
          if (urgent.length > 0) {
            let waitingUrgent = 0;
            for (const n of urgent) {
              const c = await queueOf(n).getJobCounts("waiting", "prioritized");
              waitingUrgent += (c.waiting ?? 0) + (c.prioritized ?? 0);
            }
            if (waitingUrgent >= Math.max(1, slots)) {
              await job.moveToDelayed(Date.now() + 100 + Math.floor(Math.random() * 100), token);
              throw new DelayedError();
            }
          }
          const groupLock = data.group ? k("group", data.group) : undefined;
          const owner = randomBytes(8).toString("hex");
          if (groupLock && (await redis.set(groupLock, owner, "PX", leaseMs, "NX")) === null) {
            // Another worker runs this repository: try again shortly, without using an attempt.
            await job.moveToDelayed(Date.now() + 200 + Math.floor(Math.random() * 200), token);
            throw new DelayedError();
          }
          await acquire();
          const renew = groupLock ? setInterval(() => void redis.pexpire(groupLock, leaseMs).catch(() => undefined), Math.max(50, Math.floor(leaseMs / 3))) : undefined;
          const controller = new AbortController();
          const runId = `${name}:${job.id}`;
          running.set(runId, controller);
          if (job.data.key) {
            const marker = k("queued", name, job.data.key);
            // The key is free again once its job starts: a push now is scanned after this run.
            if ((await redis.get(marker)) === job.id) await redis.del(marker);
          }
          if (job.attemptsMade === 0 && job.stalledCounter === 0)
            await redis.decr(k("fair", name, String(data.priority), data.fairKey));
          const record = await toRecord(name, job);
          workOptions.onEvent?.({ type: "started", job: record });
          const begun = Date.now();
          try {
            const outcome = await executeJob(kind, record, controller);
            const durationMs = Date.now() - begun;
            if (outcome.outcome === "completed") {
              workOptions.onEvent?.({ type: "completed", job: record, durationMs });
              return;
            }
            if (outcome.outcome === "handed-back") {
              workOptions.onEvent?.({ type: "handed-back", job: record });
              await job.moveToDelayed(Date.now(), token);
              throw new DelayedError();
            }
            const dead = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
            workOptions.onEvent?.({ type: "failed", job: record, durationMs, error: outcome.error, dead });
            throw new Error(outcome.error);
          } finally {
            running.delete(runId);
            if (renew) clearInterval(renew);
            if (groupLock && (await redis.get(groupLock)) === owner) await redis.del(groupLock);
            releaseSlot();
          }
        },
        {
          connection,
          prefix,
          concurrency: limit,
          lockDuration: leaseMs,
          stalledInterval: leaseMs,
          maxStalledCount: kind.attempts ?? JOB_DEFAULTS.attempts,
        },
      );
      worker.on("error", () => undefined);
      mine.push(worker);
      workers.push(worker);
    };
    for (const name of kinds.names()) serve(name);
    // Kinds registered after the worker started (another module's) are served within a second.
    const watch = setInterval(() => {
      for (const name of kinds.names()) if (!served.has(name)) serve(name);
    }, 1000);
    watch.unref();

    return {
      async idle() {
        for (;;) {
          let busy = running.size > 0;
          for (const name of busy ? [] : kinds.names()) {
            const c = await queueOf(name).getJobCounts("waiting", "prioritized", "delayed", "active");
            if ((c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0) + (c.active ?? 0) > 0) busy = true;
          }
          if (!busy) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      async stop({ graceMs = 10_000 } = {}) {
        clearInterval(watch);
        const closing = Promise.all(mine.map((w) => w.close()));
        const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
        await Promise.race([closing, grace]);
        for (const controller of running.values()) controller.abort(new JobAbort("shutdown", "the worker is stopping"));
        await closing;
        for (const w of mine) workers.splice(workers.indexOf(w), 1);
      },
    };
  }

  return queue;
}
