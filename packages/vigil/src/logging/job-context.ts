import { AsyncLocalStorage } from "node:async_hooks";

/** The background job a piece of work belongs to: its log lines carry these fields. */
export interface JobContext {
  /** Unique per run of a job (a retry is a new run of the same key). */
  jobId: string;
  /** The job kind (`scan`, `wiki`, `validity`, …): the key's first segment. */
  kind: string;
  /** The job's coalescing key (`scan:12`). */
  key?: string;
}

const storage = new AsyncLocalStorage<JobContext>();

/**
 * Runs `fn` as part of a job. Every log line written inside it, however deep (the store, git, the
 * checker), carries `job_id` and `job_kind`: the logger reads them from here (see create-logger.ts),
 * so that code shared by requests and jobs needs no logger handed down to it.
 */
export function runInJobContext<T>(context: JobContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The job running now, if any. */
export function currentJob(): JobContext | undefined {
  return storage.getStore();
}

/** The fields a log line gets inside a job (none outside one). */
export function jobLogFields(): Record<string, string> {
  const job = storage.getStore();
  if (!job) return {};
  return job.key ? { job_id: job.jobId, job_kind: job.kind, job_key: job.key } : { job_id: job.jobId, job_kind: job.kind };
}

/** A job's kind from its key (`scan:12` → `scan`). */
export function jobKindOf(key: string): string {
  const colon = key.indexOf(":");
  return colon > 0 ? key.slice(0, colon) : key;
}
