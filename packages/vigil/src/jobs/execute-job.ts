import type { JobKind } from "./job-kind.js";
import { JOB_DEFAULTS } from "./job-kind.js";
import type { JobRecord } from "./job-queue.js";
import { runInJobContext } from "../logging/job-context.js";

export type JobOutcome =
  | { outcome: "completed" }
  | { outcome: "failed"; error: string }
  /** Stopped by shutdown or a lost lease: it goes back to the queue, not counted as an attempt. */
  | { outcome: "handed-back" };

/** Why a run was aborted; the handler sees it as `signal.reason`. */
export class JobAbort extends Error {
  constructor(readonly why: "timeout" | "shutdown" | "lost", message: string) {
    super(message);
    this.name = "JobAbort";
  }
}

/** After an abort, a handler that ignores its signal is waited for this long, then left behind. */
const ABANDON_AFTER_MS = 5_000;

/**
 * Runs one job with its kind's timeout. The outcome follows why it ended, not how the handler
 * returned: a scan that returns quietly after its signal fired still timed out or was handed back.
 */
export async function executeJob(kind: JobKind, job: JobRecord, controller: AbortController): Promise<JobOutcome> {
  const timeoutMs = kind.timeoutMs ?? JOB_DEFAULTS.timeoutMs;
  const timer = setTimeout(() => controller.abort(new JobAbort("timeout", `timed out after ${formatMs(timeoutMs)}`)), timeoutMs);
  let thrown: unknown;
  let failed = false;
  const run = Promise.resolve()
    // Every log line the job writes, however deep, carries its id, kind and key (logging/job-context.ts).
    .then(() =>
      runInJobContext({ jobId: String(job.id), kind: job.kind, key: job.key ?? `${job.kind}:${job.id}` }, () =>
        kind.run(job.payload, { signal: controller.signal, jobId: job.id, attempt: job.attempts }),
      ),
    )
    .catch((error: unknown) => {
    failed = true;
    thrown = error;
  });
  const abandoned = new Promise<void>((resolve) => {
    const onAbort = (): void => void setTimeout(resolve, ABANDON_AFTER_MS).unref();
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([run, abandoned]);
  } finally {
    clearTimeout(timer);
  }
  const reason: unknown = controller.signal.reason;
  if (controller.signal.aborted && reason instanceof JobAbort) {
    if (reason.why === "timeout") return { outcome: "failed", error: reason.message };
    return { outcome: "handed-back" };
  }
  if (failed) return { outcome: "failed", error: errorMessage(thrown) };
  return { outcome: "completed" };
}

/** One line, bounded: what the dead-letter list shows. Handlers never put secrets in errors (house rule). */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, " ").trim().slice(0, 500) || "failed";
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
