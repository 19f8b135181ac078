import { writeFileSync } from "node:fs";
import { createJobKinds } from "../jobs/job-kind.js";
import type { JobQueue } from "../jobs/job-queue.js";

/**
 * A worker process for the job suite's kill -9 test: it takes one `history-scan` job, writes the
 * job's id to `JOB_MARKER`, and hangs until it is killed.
 */
const env = process.env;
const leaseMs = Number(env.JOB_LEASE_MS);
const kinds = createJobKinds([
  {
    name: "history-scan",
    run: (_payload, { jobId }) => {
      writeFileSync(env.JOB_MARKER!, jobId);
      return new Promise<void>(() => undefined);
    },
  },
]);
let queue: JobQueue;
if (env.JOB_BACKEND === "bullmq") {
  const { createBullJobQueue } = await import("../jobs/bullmq-job-queue.js");
  queue = createBullJobQueue({ url: env.JOB_REDIS_URL!, prefix: env.JOB_REDIS_PREFIX!, kinds, leaseMs });
} else {
  const { openStore } = await import("../store/index.js");
  const opened = await openStore({
    dataDir: env.JOB_DATA_DIR!,
    env: {},
    ...(env.JOB_DB_URL ? { url: env.JOB_DB_URL } : {}),
    ...(env.JOB_DB_SCHEMA ? { schema: env.JOB_DB_SCHEMA } : {}),
  });
  const { createStoreJobQueue } = await import("../jobs/store-job-queue.js");
  queue = createStoreJobQueue({ db: opened.db, kinds, leaseMs, pollMs: 50 });
}
queue.work({ concurrency: 1 });
