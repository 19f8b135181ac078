import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { describeJobQueue } from "../test-support/job-queue-suite.js";
import { createBullJobQueue } from "./bullmq-job-queue.js";

const url = process.env.VIGIL_TEST_REDIS_URL?.trim() || undefined;

describeJobQueue(
  "BullMQ",
  () => {
    // A prefix per test: suites share one Redis.
    const prefix = `vigil-test-${process.pid}-${randomBytes(4).toString("hex")}`;
    const leaseMs = 1500;
    return Promise.resolve({
      queue: (kinds) => createBullJobQueue({ url: url!, prefix, kinds, leaseMs }),
      childEnv: { JOB_BACKEND: "bullmq", JOB_REDIS_URL: url!, JOB_REDIS_PREFIX: prefix },
      leaseMs,
      async dispose() {
        const redis = new Redis(url!);
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      },
    });
  },
  url ? undefined : "VIGIL_TEST_REDIS_URL is unset",
);
