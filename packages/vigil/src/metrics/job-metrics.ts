import { randomUUID } from "node:crypto";
import { jobKindOf, runInJobContext } from "../logging/job-context.js";
import { processMetrics, type QueueDepth, type QueueDepthCollector, type VigilMetrics } from "./vigil-metrics.js";

/**
 * The queue's side of the metrics: job runners call these (any runner, in-process, SQLite or BullMQ).
 * `outcome` is a bounded word: completed, failed (will be retried), dead (dead-lettered), interrupted.
 */
export type JobOutcome = "completed" | "failed" | "dead" | "interrupted" | (string & {});

/** Counts one finished run of a job and its duration. */
export function observeJob(kind: string, outcome: JobOutcome, durationSeconds: number, metrics: VigilMetrics = processMetrics()): void {
  metrics.jobs.inc({ kind, outcome });
  metrics.jobDuration.observe({ kind, outcome }, durationSeconds);
}

/** Sets how many jobs of a kind are in a state now (a runner that tracks its own counts). */
export function setQueueDepth(kind: string, state: string, n: number, metrics: VigilMetrics = processMetrics()): void {
  metrics.queueDepths.set(`${kind}\0${state}`, { kind, state, count: n });
}

/**
 * Registers a function asked for queue depths on each scrape (a runner whose counts live in Redis or
 * the store); returns a function that unregisters it. A collector that throws fails the scrape.
 */
export function registerQueueDepthCollector(collector: QueueDepthCollector, metrics: VigilMetrics = processMetrics()): () => void {
  metrics.queueDepthCollectors.add(collector);
  return () => metrics.queueDepthCollectors.delete(collector);
}

export type { QueueDepth };

/**
 * Runs one job with its id in every log line it writes (see logging/job-context.ts) and counts it:
 * `completed` when `run` resolves, `interrupted` when it threw after `signal` was aborted, `failed`
 * otherwise (the error is rethrown for the runner's retry policy).
 */
export async function runObservedJob(
  job: { key: string; id?: string; kind?: string },
  run: () => Promise<void>,
  options: { signal?: AbortSignal; metrics?: VigilMetrics } = {},
): Promise<void> {
  const kind = job.kind ?? jobKindOf(job.key);
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  await runInJobContext({ jobId: job.id ?? randomUUID(), kind, key: job.key }, async () => {
    try {
      await run();
    } catch (error) {
      observeJob(kind, options.signal?.aborted ? "interrupted" : "failed", seconds(), options.metrics);
      throw error;
    }
    observeJob(kind, "completed", seconds(), options.metrics);
  });
}
