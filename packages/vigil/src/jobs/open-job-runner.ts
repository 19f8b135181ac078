import type { Kysely } from "kysely";
import type { Database } from "../store/tables.js";
import { createJobKinds, type JobPolicy } from "./job-kind.js";
import { createJobRunner, type JobRunner } from "./job-runner.js";
import { createStoreJobQueue } from "./store-job-queue.js";

export interface OpenJobRunnerOptions {
  /** The store's database: the embedded queue's home. */
  db: Kysely<Database>;
  /** `VIGIL_REDIS_URL`: jobs go to BullMQ instead. */
  redisUrl?: string | undefined;
  /** BullMQ key prefix (`VIGIL_REDIS_PREFIX`, default `vigil`). */
  redisPrefix?: string | undefined;
  /** How long a killed worker's job stays locked before it returns (`VIGIL_JOB_LEASE_MS`, default 30 s). */
  leaseMs?: number | undefined;
  pollMs?: number;
  /** Per kind name: attempts, backoff, timeout, priority or concurrency other than the kind's own. */
  policies?: Record<string, JobPolicy>;
}

/** The queue `vigil serve` and `vigil worker` use: BullMQ when Redis is configured, else the store's. */
export async function openJobRunner(options: OpenJobRunnerOptions): Promise<JobRunner> {
  const kinds = createJobKinds([], options.policies);
  if (options.redisUrl) {
    // Loaded only when configured: the embedded default never loads BullMQ.
    const { createBullJobQueue } = await import("./bullmq-job-queue.js");
    const queue = createBullJobQueue({
      url: options.redisUrl,
      kinds,
      ...(options.redisPrefix ? { prefix: options.redisPrefix } : {}),
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    });
    return createJobRunner(queue, kinds);
  }
  const queue = createStoreJobQueue({
    db: options.db,
    kinds,
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
  });
  return createJobRunner(queue, kinds);
}
