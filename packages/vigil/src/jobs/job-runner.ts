import type { JobKinds, JobPayload } from "./job-kind.js";
import type { EnqueueOptions, JobQueue, JobWorker, WorkOptions } from "./job-queue.js";

/**
 * The seam services queue background work through: a durable queue (the store's, or BullMQ's) and,
 * in processes that run jobs, a worker on it. `vigil serve --no-jobs` queues only; `vigil worker`
 * runs only; `vigil serve` does both.
 */
export interface JobRunner {
  readonly queue: JobQueue;
  /** Register a kind here (one line) before the worker starts taking it: `runner.kinds.register({ name, run })`. */
  readonly kinds: JobKinds;
  /** Queues a job; false when a job with the same key already waits (or the runner is closed). */
  enqueue(kind: string, payload: JobPayload, options?: EnqueueOptions): Promise<boolean>;
  /** Starts this process's worker (once); later calls return it. */
  work(options?: WorkOptions): JobWorker;
  /** Resolves when no job of the registered kinds is ready or running (a no-op without a worker). */
  idle(): Promise<void>;
  /** Stops the worker (running jobs get `graceMs`, then are handed back) and the queue's connections. */
  close(options?: { graceMs?: number }): Promise<void>;
}

export function createJobRunner(queue: JobQueue, kinds: JobKinds): JobRunner {
  let worker: JobWorker | undefined;
  let closed = false;
  return {
    queue,
    kinds,
    async enqueue(kind, payload, options) {
      if (closed) return false;
      return (await queue.enqueue(kind, payload, options)) !== null;
    },
    work(options) {
      worker ??= queue.work(options);
      return worker;
    },
    idle: () => worker?.idle() ?? Promise.resolve(),
    async close(options) {
      if (closed) return;
      closed = true;
      await worker?.stop(options);
      await queue.close();
    },
  };
}
