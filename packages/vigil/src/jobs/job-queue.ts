import type { JobPayload } from "./job-kind.js";

/** `queued` (waiting, or waiting for a retry at `runAt`), `running`, `completed`, `dead` (out of attempts: an operator retries it). */
export type JobState = "queued" | "running" | "completed" | "dead";
export const JOB_STATES: readonly JobState[] = ["queued", "running", "completed", "dead"];

export interface EnqueueOptions {
  /** While a job with this key is queued, enqueueing another is a no-op (a repository is scanned once even if asked twice). */
  key?: string;
  /** Jobs of one group never run at the same time, on any worker (`repo:<id>`). */
  group?: string;
  /** Fair share: queued jobs of one priority are taken round-robin across fair keys (`org:<id>`). */
  fairKey?: string;
  /** Overrides the kind's priority (lower first). */
  priority?: number;
  delayMs?: number;
}

export interface JobRecord {
  id: string;
  kind: string;
  state: JobState;
  payload: JobPayload;
  key: string | null;
  group: string | null;
  priority: number;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  runAt: string | null;
  createdAt: string;
  completedAt: string | null;
  /** The store's queue: the worker running it (`host:pid:random`), so a restarted process can tell its own dead predecessor's jobs. */
  lockedBy?: string | null;
}

export interface JobListFilter {
  state?: JobState;
  kind?: string;
  limit?: number;
}

export interface WorkOptions {
  /** Jobs this worker runs at once (default 2). */
  concurrency?: number;
  /** Per kind, at most (default: the kind's own `concurrency`, else `concurrency`). */
  perKind?: Record<string, number>;
  /** Names this worker in locks and logs. */
  workerId?: string;
  onEvent?: (event: JobEvent) => void;
}

export type JobEvent =
  | { type: "started"; job: JobRecord }
  | { type: "completed"; job: JobRecord; durationMs: number }
  | { type: "failed"; job: JobRecord; durationMs: number; error: string; dead: boolean }
  | { type: "handed-back"; job: JobRecord };

export interface JobWorker {
  /** Resolves when no job of this worker's kinds is queued (ready to run now) or running, anywhere. */
  idle(): Promise<void>;
  /**
   * Stops taking jobs; running ones get `graceMs` to finish (default 10 s), then are aborted and
   * handed back to the queue without counting as an attempt.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** A durable queue: the store's (embedded default) or BullMQ's (`VIGIL_REDIS_URL`). */
export interface JobQueue {
  readonly backend: "store" | "bullmq" | "memory";
  /** The job's id, or null when a queued job with the same key already waits. */
  enqueue(kind: string, payload: JobPayload, options?: EnqueueOptions): Promise<string | null>;
  get(id: string): Promise<JobRecord | undefined>;
  list(filter?: JobListFilter): Promise<JobRecord[]>;
  /** Queues a dead job again with fresh attempts; undefined when there is no dead job with that id. */
  retry(id: string): Promise<JobRecord | undefined>;
  /** Jobs per kind and state (completed ones the backend still keeps). */
  counts(): Promise<Record<string, Record<JobState, number>>>;
  /** Runs jobs of the kinds registered (now or later) in this process until stopped. */
  work(options?: WorkOptions): JobWorker;
  close(): Promise<void>;
}

export function emptyCounts(): Record<JobState, number> {
  return { queued: 0, running: 0, completed: 0, dead: 0 };
}
