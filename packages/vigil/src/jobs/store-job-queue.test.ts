import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { describeJobQueue } from "../test-support/job-queue-suite.js";
import { createStoreJobQueue } from "./store-job-queue.js";

for (const dialect of testDialects()) {
  describeJobQueue(
    `store (${dialect.name})`,
    async () => {
      const store: TestStore = await openTestStore(dialect);
      const leaseMs = 1500;
      return {
        queue: (kinds) => createStoreJobQueue({ db: store.db, kinds, leaseMs, pollMs: 50 }),
        childEnv: {
          JOB_BACKEND: "store",
          JOB_DATA_DIR: store.dataDir,
          ...(dialect.url ? { JOB_DB_URL: dialect.url } : {}),
          ...(store.schema ? { JOB_DB_SCHEMA: store.schema } : {}),
        },
        leaseMs,
        dispose: () => store.dispose(),
      };
    },
    dialect.name === "postgres" && !dialect.url ? "VIGIL_TEST_POSTGRES_URL is unset" : undefined,
  );
}
