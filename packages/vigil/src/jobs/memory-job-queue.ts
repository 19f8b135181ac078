import { JOB_DEFAULTS, MAX_JOB_PRIORITY, retryDelayMs, type JobKinds } from "./job-kind.js";
import { emptyCounts, type JobQueue, type JobRecord, type JobState, type JobWorker, type WorkOptions } from "./job-queue.js";
import { executeJob, JobAbort } from "./execute-job.js";

interface MemoryJob extends JobRecord {
  fairKey: string;
  fairRank: number;
  backoffMs: number;
  runAtMs: number;
}

/**
 * Jobs in this process's memory, with the durable queues' rules (keys, groups, priorities, fair
 * ranks, retries, dead letters) but lost with the process. For embedding `createServer` without a
 * store's database (tests, a library user); `vigil serve` always uses a durable queue.
 */
export function createMemoryJobQueue(options: { kinds: JobKinds }): JobQueue {
  const { kinds } = options;
  const jobs = new Map<string, MemoryJob>();
  const busyGroups = new Set<string>();
  const pokes = new Set<() => void>();
  let nextId = 1;

  const copy = (job: MemoryJob): JobRecord => ({
    id: job.id,
    kind: job.kind,
    state: job.state,
    payload: job.payload,
    key: job.key,
    group: job.group,
    priority: job.priority,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    lastError: job.lastError,
    runAt: job.state === "queued" ? new Date(job.runAtMs).toISOString() : null,
    createdAt: job.createdAt,
    completedAt: job.completedAt,
  });
  const queuedWithKey = (key: string | null): MemoryJob | undefined =>
    key === null ? undefined : [...jobs.values()].find((j) => j.state === "queued" && j.key === key);
  const poke = (): void => {
    for (const p of pokes) p();
  };
  const requeue = (job: MemoryJob, runAtMs: number): void => {
    if (job.key !== null && queuedWithKey(job.key)) {
      job.state = "completed";
      job.completedAt = new Date().toISOString();
      job.lastError = "coalesced: a job with the same key is queued";
      return;
    }
    job.state = "queued";
    job.runAtMs = runAtMs;
    job.completedAt = null;
    if (runAtMs > Date.now()) setTimeout(poke, runAtMs - Date.now() + 1).unref();
  };

  const queue: JobQueue = {
    backend: "memory",
    enqueue(kindName, payload, enqueueOptions = {}) {
      const kind = kinds.get(kindName);
      if (!kind) return Promise.reject(new Error(`unknown job kind "${kindName}"`));
      const priority = enqueueOptions.priority ?? kind.priority ?? JOB_DEFAULTS.priority;
      if (!Number.isInteger(priority) || priority < 0 || priority > MAX_JOB_PRIORITY) return Promise.reject(new Error(`job priority must be 0..${MAX_JOB_PRIORITY}`));
      if (queuedWithKey(enqueueOptions.key ?? null)) return Promise.resolve(null);
      const fairKey = enqueueOptions.fairKey ?? "";
      let fairRank = 0;
      for (const j of jobs.values()) if (j.state === "queued" && j.fairKey === fairKey && j.priority === priority) fairRank = Math.max(fairRank, j.fairRank);
      const id = String(nextId++);
      jobs.set(id, {
        id,
        kind: kindName,
        state: "queued",
        payload,
        key: enqueueOptions.key ?? null,
        group: enqueueOptions.group ?? null,
        priority,
        attempts: 0,
        maxAttempts: kind.attempts ?? JOB_DEFAULTS.attempts,
        lastError: null,
        runAt: null,
        createdAt: new Date().toISOString(),
        completedAt: null,
        fairKey,
        fairRank: fairRank + 1,
        backoffMs: kind.backoffMs ?? JOB_DEFAULTS.backoffMs,
        runAtMs: Date.now() + (enqueueOptions.delayMs ?? 0),
      });
      queueMicrotask(poke);
      return Promise.resolve(id);
    },
    get: (id) => Promise.resolve(jobs.has(id) ? copy(jobs.get(id)!) : undefined),
    list(filter = {}) {
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
      return Promise.resolve(
        [...jobs.values()]
          .filter((j) => (!filter.state || j.state === filter.state) && (!filter.kind || j.kind === filter.kind))
          .reverse()
          .slice(0, limit)
          .map(copy),
      );
    },
    retry(id) {
      const job = jobs.get(id);
      if (job?.state !== "dead") return Promise.resolve(undefined);
      job.attempts = 0;
      requeue(job, Date.now());
      queueMicrotask(poke);
      return queue.get(id);
    },
    counts() {
      const counts: Record<string, Record<JobState, number>> = {};
      for (const name of kinds.names()) counts[name] = emptyCounts();
      for (const job of jobs.values()) (counts[job.kind] ??= emptyCounts())[job.state]++;
      return Promise.resolve(counts);
    },
    work: (workOptions = {}) => startWorker(workOptions),
    close: () => Promise.resolve(),
  };

  function startWorker(workOptions: WorkOptions): JobWorker {
    const concurrency = Math.max(1, workOptions.concurrency ?? 2);
    const running = new Map<string, { kind: string; controller: AbortController; done: Promise<void> }>();
    let stopping = false;
    let waiters: (() => void)[] = [];
    const limitOf = (name: string): number => Math.min(concurrency, workOptions.perKind?.[name] ?? kinds.get(name)?.concurrency ?? concurrency);

    const settle = (): void => {
      const ready = [...jobs.values()].some((j) => j.state === "queued" && j.runAtMs <= Date.now() && kinds.get(j.kind));
      if (running.size === 0 && !ready) {
        const done = waiters;
        waiters = [];
        for (const resolve of done) resolve();
      }
    };
    const pump = (): void => {
      while (!stopping && running.size < concurrency) {
        const now = Date.now();
        const next = [...jobs.values()]
          .filter(
            (j) =>
              j.state === "queued" &&
              j.runAtMs <= now &&
              kinds.get(j.kind) !== undefined &&
              (j.group === null || !busyGroups.has(j.group)) &&
              [...running.values()].filter((r) => r.kind === j.kind).length < limitOf(j.kind),
          )
          .sort((a, b) => a.priority - b.priority || a.fairRank - b.fairRank || Number(a.id) - Number(b.id))[0];
        if (!next) break;
        start(next);
      }
      settle();
    };
    const start = (job: MemoryJob): void => {
      job.state = "running";
      job.attempts++;
      if (job.group !== null) busyGroups.add(job.group);
      const controller = new AbortController();
      const begun = Date.now();
      const record = copy(job);
      workOptions.onEvent?.({ type: "started", job: record });
      const done = executeJob(kinds.get(job.kind)!, record, controller).then((outcome) => {
        if (job.group !== null) busyGroups.delete(job.group);
        running.delete(job.id);
        const durationMs = Date.now() - begun;
        if (outcome.outcome === "completed") {
          job.state = "completed";
          job.completedAt = new Date().toISOString();
          workOptions.onEvent?.({ type: "completed", job: record, durationMs });
        } else if (outcome.outcome === "handed-back") {
          job.attempts--;
          requeue(job, Date.now());
          workOptions.onEvent?.({ type: "handed-back", job: record });
        } else {
          job.lastError = outcome.error;
          const dead = job.attempts >= job.maxAttempts;
          if (dead) {
            job.state = "dead";
            job.completedAt = new Date().toISOString();
          } else requeue(job, Date.now() + retryDelayMs(job.backoffMs, job.attempts));
          workOptions.onEvent?.({ type: "failed", job: record, durationMs, error: outcome.error, dead });
        }
        pump();
      });
      running.set(job.id, { kind: job.kind, controller, done });
    };
    pokes.add(pump);
    queueMicrotask(pump);

    return {
      idle() {
        return new Promise<void>((resolve) => {
          waiters.push(resolve);
          settle();
        });
      },
      async stop({ graceMs = 10_000 } = {}) {
        stopping = true;
        pokes.delete(pump);
        const all = Promise.all([...running.values()].map((r) => r.done));
        await Promise.race([all, new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref())]);
        for (const r of running.values()) r.controller.abort(new JobAbort("shutdown", "the worker is stopping"));
        await all;
        settle();
      },
    };
  }

  return queue;
}
