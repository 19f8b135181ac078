import { describeJobQueue } from "../test-support/job-queue-suite.js";
import { createJobKinds } from "./job-kind.js";
import type { JobQueue } from "./job-queue.js";
import { createMemoryJobQueue } from "./memory-job-queue.js";

// The queue `createServer` falls back to without a store's database: the same rules, in memory.
// "Another worker" is another worker on the same queue: memory is not shared between queues.
describeJobQueue("memory", () => {
  const shared = createJobKinds();
  let queue: JobQueue | undefined;
  return Promise.resolve({
    queue: (kinds) => {
      for (const name of kinds.names()) if (!shared.get(name)) shared.register(kinds.get(name)!);
      queue ??= createMemoryJobQueue({ kinds: shared });
      return queue;
    },
    childEnv: undefined,
    leaseMs: 0,
    dispose: () => Promise.resolve(),
  });
});
