/**
 * A unit of in-process background work, a closure rather than data: for periodic sweeps whose work is
 * found again in the store after a restart (validity checks, auto-remediation, custom-pattern scans).
 * Durable work that another process may run is a job kind on `JobRunner` (job-runner.ts).
 */
export interface Job {
  /** Jobs with the same key are coalesced while one is queued (a repository is scanned once even if asked twice). */
  key: string;
  run(signal: AbortSignal): Promise<void>;
}

export interface InProcessRunner {
  enqueue(job: Job): boolean;
  /** Resolves when the queue is empty and nothing runs. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface InProcessRunnerOptions {
  concurrency?: number;
  onError?: (key: string, error: unknown) => void;
}

/** Runs jobs in this process, `concurrency` at a time, coalescing queued jobs by key. */
export function createInProcessRunner(options: InProcessRunnerOptions = {}): InProcessRunner {
  const concurrency = options.concurrency ?? 1;
  const queue: Job[] = [];
  const queued = new Set<string>();
  const controller = new AbortController();
  let running = 0;
  let closed = false;
  let waiters: (() => void)[] = [];

  const settle = (): void => {
    if (running === 0 && queue.length === 0) {
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    }
  };
  const pump = (): void => {
    while (!closed && running < concurrency && queue.length > 0) {
      const job = queue.shift()!;
      queued.delete(job.key);
      running++;
      job
        .run(controller.signal)
        .catch((error: unknown) => options.onError?.(job.key, error))
        .finally(() => {
          running--;
          pump();
          settle();
        });
    }
    settle();
  };

  return {
    enqueue(job) {
      if (closed || queued.has(job.key)) return false;
      queued.add(job.key);
      queue.push(job);
      queueMicrotask(pump);
      return true;
    },
    idle() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    async close() {
      closed = true;
      queue.length = 0;
      queued.clear();
      controller.abort();
      await new Promise<void>((resolve) => {
        if (running === 0) resolve();
        else waiters.push(resolve);
      });
    },
  };
}
