import { join } from "node:path";
import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";
import { parseInteger } from "./scan.js";
import { issuerUrlsFromEnv } from "../../campaigns/revokers.js";

interface WorkerOptions extends StoreCommandOptions {
  concurrency: string;
  cacheSize: string;
  grace: string;
  publicUrl?: string;
  allowPrivateWebhooks?: boolean;
  webhookTimeout: string;
  webhookRetryFor: string;
}

export function registerWorkerCommand(program: Command): void {
  addStoreOptions(
    program
      .command("worker")
      .description("Run background jobs only (scans, mirror fetches, wiki and content backfills, validity checks, webhook deliveries, partner reports, custom-pattern scans, auto-remediation), no HTTP: start one or more beside `vigil serve --no-jobs`")
      .option("--concurrency <n>", "jobs this worker runs at once", "2")
      .option("--cache-size <MB>", "the mirror cache's size: least recently used mirrors beyond it are deleted", "10240")
      .option("--grace <seconds>", "on SIGTERM, how long running jobs may finish before they are handed back to the queue", "10")
      .option("--public-url <url>", "the server's URL, for links in what jobs record (default: $VIGIL_PUBLIC_URL)")
      .option("--allow-private-webhooks", "deliver webhooks to loopback, private and link-local addresses (refused by default)")
      .option("--webhook-timeout <seconds>", "time limit of one webhook delivery attempt", "10")
      .option("--webhook-retry-for <seconds>", "how long a failing webhook delivery is retried (exponential backoff)", "86400"),
  )
    .addHelpText(
      "after",
      `
Workers share the store (--database-url, PostgreSQL for several machines) and the queue: the store's
by default, BullMQ when VIGIL_REDIS_URL is set. A worker whose data directory is not the server's keeps
its own mirrors in <data dir>/mirror-cache; it fetches repositories Vigil hosts from the server at
VIGIL_INTERNAL_URL with VIGIL_INTERNAL_TOKEN (a site administrator's token with the repo scope).
Content backfills use VIGIL_FORGE_TOKEN; validity checks and auto-remediation read the same
VIGIL_VALIDITY_* and VIGIL_REVOKE_*_URL variables as \`vigil serve\`.`,
    )
    .action(async (options: WorkerOptions) => {
      const concurrency = parseInteger(options.concurrency, "--concurrency", 1, 256);
      const grace = parseInteger(options.grace, "--grace", 0, 3600);
      const cacheMb = parseInteger(options.cacheSize, "--cache-size", 1, 100 * 1024 * 1024);
      const webhookTimeout = parseInteger(options.webhookTimeout, "--webhook-timeout", 1, 60);
      const webhookRetryFor = parseInteger(options.webhookRetryFor, "--webhook-retry-for", 0, 30 * 86400);
      const [{ createLogger }, { createServer }, { scanRepositoryHistory }, { openJobRunner }] = await Promise.all([
        import("../../server/create-logger.js"),
        import("../../server/create-server.js"),
        import("../../server/scan-repository-history.js"),
        import("../../jobs/open-job-runner.js"),
      ]);
      const log = createLogger();
      const { dataDir, url } = storeLocation(options);
      const opened = await openStoreLazily({ dataDir, url, env: process.env });
      const runner = await openJobRunner({ db: opened.db, redisUrl: process.env.VIGIL_REDIS_URL, redisPrefix: process.env.VIGIL_REDIS_PREFIX, leaseMs: Number(process.env.VIGIL_JOB_LEASE_MS) || undefined });
      const publicUrl = options.publicUrl ?? process.env.VIGIL_PUBLIC_URL;
      const [{ createScanStateStore }, { createMirrorCache, internalGitBase }, { createContentBackfillStates }, { validityCheckerOptionsFromEnv }] = await Promise.all([
        import("../../store/kysely-scan-state-store.js"),
        import("../../server/mirror-cache.js"),
        import("../../content/content-backfill-job.js"),
        import("../../validity/validity-checker.js"),
      ]);
      let hostedBaseUrl: string | undefined;
      try {
        hostedBaseUrl = internalGitBase(process.env.VIGIL_INTERNAL_URL, process.env.VIGIL_INTERNAL_TOKEN);
      } catch {
        await opened.close();
        throw new VigilError("ERR_CLI_USAGE", "VIGIL_INTERNAL_URL is not a URL (the serving node, e.g. http://vigil-serve:8080)");
      }
      // The server's services without its socket: the same job kinds as `vigil serve` registers.
      const server = createServer({
        store: opened.store,
        pushProtection: opened.pushProtection,
        partners: opened.partners,
        reviews: opened.reviews,
        webhooks: opened.webhooks,
        webhookDelivery: { allowPrivate: options.allowPrivateWebhooks === true, timeoutMs: webhookTimeout * 1000, retryForMs: webhookRetryFor * 1000 },
        customPatterns: opened.customPatterns,
        campaigns: opened.campaigns,
        issuerUrls: issuerUrlsFromEnv(process.env),
        validity: opened.validity,
        validityChecker: validityCheckerOptionsFromEnv(process.env),
        contentBackfills: createContentBackfillStates(opened.db),
        ...(process.env.VIGIL_FORGE_TOKEN ? { forgeToken: process.env.VIGIL_FORGE_TOKEN } : {}),
        storeEnv: { VIGIL_DATA_DIR: dataDir, ...(url ? { VIGIL_DATABASE_URL: url } : {}) },
        dataDir,
        log,
        scanHistory: scanRepositoryHistory,
        runner,
        scanStates: createScanStateStore({ db: opened.db }),
        mirrorCache: createMirrorCache({ dir: join(dataDir, "mirror-cache"), maxBytes: cacheMb * 1024 * 1024, ...(hostedBaseUrl ? { hostedBaseUrl } : {}) }),
        runJobs: true,
        jobConcurrency: concurrency,
        background: false,
        ...(publicUrl ? { publicUrl } : {}),
      });
      process.stderr.write(`vigil: worker started (${concurrency} jobs at once, ${runner.queue.backend} queue, ${opened.dialect} store)\n`);
      log.info({ concurrency, queue: runner.queue.backend, dialect: opened.dialect }, "vigil worker started");
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      setTimeout(() => process.exit(process.exitCode ?? 0), (grace + 5) * 1000).unref();
      await server.close({ graceMs: grace * 1000 });
      await opened.close();
      process.stderr.write("vigil: worker stopped\n");
    });
}
