import cluster from "node:cluster";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";
import { countOf } from "../summary.js";
import { parseInteger } from "./scan.js";
import { validityCheckerOptionsFromEnv } from "../../validity/validity-checker.js";
import { issuerUrlsFromEnv } from "../../campaigns/revokers.js";

interface ServeOptions extends StoreCommandOptions {
  forgeWebhookSecret?: string;
  port: string;
  host: string;
  publicUrl?: string;
  fetchInterval: string;
  workers: string;
  allowHttpMirrors?: boolean;
  requestTimeout: string;
  allowPrivateWebhooks?: boolean;
  webhookTimeout: string;
  webhookRetryFor: string;
  config?: string;
  metricsToken?: string;
  jobs: boolean;
  jobConcurrency: string;
}

/** Set in the processes `--workers` starts: which one this is (0 runs the background work). */
const WORKER_INDEX = "VIGIL_SERVE_WORKER";

export function registerServeCommand(program: Command): void {
  addStoreOptions(
    program
      .command("serve")
      .description(
        "Run the Vigil server: GitHub-compatible secret-scanning REST API under /api/v3, repository scans in the background",
      )
      .option("-p, --port <port>", "port to listen on", process.env.PORT ?? "8080")
      .option("--host <host>", "address to listen on (0.0.0.0 for every interface)", "127.0.0.1")
      .option("--public-url <url>", "the URL users reach the server at (default: the request's own origin)")
      .option("--fetch-interval <seconds>", "how often mirrored repositories are fetched and rescanned", "300")
      .option("--workers <n>", "server processes sharing the port (SQLite in WAL mode and PostgreSQL serve them in parallel)", "1")
      .option("--request-timeout <seconds>", "longest time to receive one request, a git push included (headers: 20 s at most)", "300")
      .option("--allow-http-mirrors", "let organization owners register http:// mirror sources over the API (https:// and ssh always)")
      .option("--forge-webhook-secret <secret>", "accept forge webhooks at POST /webhooks/forge signed with this secret (default: VIGIL_FORGE_WEBHOOK_SECRET)")
      .option("--allow-private-webhooks", "deliver webhooks to loopback, private and link-local addresses (refused by default)")
      .option("--webhook-timeout <seconds>", "time limit of one webhook delivery attempt", "10")
      .option("--webhook-retry-for <seconds>", "how long a failing webhook delivery is retried (exponential backoff)", "86400")
      .option("--config <file>", "the server's config file: notification sinks (default: <data dir>/vigil.config.yaml when it exists)")
      .option("--metrics-token <token>", "a bearer token that may read GET /metrics and nothing else (default: VIGIL_METRICS_TOKEN); site administrators' tokens with site_admin always may")
      .option("--no-jobs", "serve HTTP only: queue background jobs for `vigil worker` processes, run none here")
      .option("--job-concurrency <n>", "jobs this process runs at once", "2"),
  )
    .addHelpText(
      "after",
      `
The first start creates the site administrator 'admin'. Get a token for it with:
  vigil token create --user admin --data-dir <same data dir>`,
    )
    .action(async (options: ServeOptions) => {
      const port = parseInteger(options.port, "--port", 0, 65535);
      const fetchInterval = parseInteger(options.fetchInterval, "--fetch-interval", 10, 86400);
      const workers = parseInteger(options.workers, "--workers", 1, 64);
      const requestTimeout = parseInteger(options.requestTimeout, "--request-timeout", 1, 86400);
      const forgeWebhookSecret = options.forgeWebhookSecret ?? process.env.VIGIL_FORGE_WEBHOOK_SECRET;
      if (forgeWebhookSecret !== undefined && forgeWebhookSecret.length < 16) {
        throw new VigilError("ERR_CLI_USAGE", "the forge webhook secret must be at least 16 characters (--forge-webhook-secret or VIGIL_FORGE_WEBHOOK_SECRET)");
      }
      const metricsToken = options.metricsToken ?? (process.env.VIGIL_METRICS_TOKEN || undefined);
      if (metricsToken !== undefined && metricsToken.length < 16) {
        throw new VigilError("ERR_CLI_USAGE", "the metrics token must be at least 16 characters (--metrics-token or VIGIL_METRICS_TOKEN)");
      }
      const webhookTimeout = parseInteger(options.webhookTimeout, "--webhook-timeout", 1, 60);
      const webhookRetryFor = parseInteger(options.webhookRetryFor, "--webhook-retry-for", 0, 30 * 86400);
      const jobConcurrency = parseInteger(options.jobConcurrency, "--job-concurrency", 1, 256);
      // The server's modules load only when it starts, not with every vigil command.
      const [{ createLogger }, { createServer }, { scanRepositoryHistory }, { clusterScrape }, { processMetrics }] = await Promise.all([
        import("../../server/create-logger.js"),
        import("../../server/create-server.js"),
        import("../../server/scan-repository-history.js"),
        import("../../metrics/cluster-metrics.js"),
        import("../../metrics/vigil-metrics.js"),
      ]);
      const log = createLogger();
      const { dataDir, url } = storeLocation(options);
      const workerIndex = process.env[WORKER_INDEX];
      const opened = await openStoreLazily({ dataDir, url, env: process.env });
      const { store } = opened;
      for (const notice of opened.permissionNotices) {
        if (workerIndex === undefined) process.stderr.write(`vigil: warning: ${notice}\n`);
        log.warn({ dataDir }, notice);
      }
      if (workerIndex === undefined && (await store.listUsers()).length === 0) {
        await store.createUser({ login: "admin", siteAdmin: true });
        process.stderr.write(
          `vigil: created the site administrator 'admin'. Get a token with:\n  vigil token create --user admin --data-dir ${dataDir}\n`,
        );
      }
      if (workers > 1 && cluster.isPrimary) {
        // The primary only migrates (above), starts the workers and relays signals; the workers serve.
        await opened.close();
        return runPrimary(workers, dialectOf(url));
      }
      if (workerIndex === undefined || workerIndex === "0") {
        // Notification sinks of the config file: checked before the server listens, kept in the store by name.
        const configPath = options.config ?? (existsSync(join(dataDir, "vigil.config.yaml")) ? join(dataDir, "vigil.config.yaml") : undefined);
        if (configPath !== undefined) {
          const { readNotificationConfig, syncConfiguredSinks } = await import("../../server/notification-config.js");
          try {
            const synced = await syncConfiguredSinks(store, opened.webhooks, readNotificationConfig(configPath, process.env));
            log.info({ config: configPath, ...synced }, "notification sinks from the config file");
          } catch (error) {
            await opened.close();
            throw error;
          }
        }
      }
      const storeEnv: Record<string, string> = { VIGIL_DATA_DIR: dataDir };
      if (url) storeEnv.VIGIL_DATABASE_URL = url;
      if (process.env.VIGIL_SECRET_KEY) storeEnv.VIGIL_SECRET_KEY = process.env.VIGIL_SECRET_KEY;
      const validityCheckerOptions = validityCheckerOptionsFromEnv(process.env);
      // Jobs are durable: in the store (the default) or in BullMQ when VIGIL_REDIS_URL is set.
      const { openJobRunner } = await import("../../jobs/open-job-runner.js");
      const runner = await openJobRunner({ db: opened.db, redisUrl: process.env.VIGIL_REDIS_URL, redisPrefix: process.env.VIGIL_REDIS_PREFIX, leaseMs: Number(process.env.VIGIL_JOB_LEASE_MS) || undefined });
      const [{ createScanStateStore }, { createContentBackfillStates }] = await Promise.all([
        import("../../store/kysely-scan-state-store.js"),
        import("../../content/content-backfill-job.js"),
      ]);
      const server = createServer({
        runner,
        scanStates: createScanStateStore({ db: opened.db }),
        contentBackfills: createContentBackfillStates(opened.db),
        ...(process.env.VIGIL_FORGE_TOKEN ? { forgeToken: process.env.VIGIL_FORGE_TOKEN } : {}),
        runJobs: options.jobs,
        jobConcurrency,
        store,
        pushProtection: opened.pushProtection,
        partners: opened.partners,
        sessions: opened.sessions,
        reviews: opened.reviews,
        customPatterns: opened.customPatterns,
        campaigns: opened.campaigns,
        issuerUrls: issuerUrlsFromEnv(process.env),
        overview: opened.overview,
        storeEnv,
        dataDir,
        log,
        scanHistory: scanRepositoryHistory,
        fetchIntervalMs: fetchInterval * 1000,
        // With several processes, one sweeps for pending scans and fetches mirrors; each still scans the pushes it accepts.
        background: workerIndex === undefined || workerIndex === "0",
        allowHttpMirrors: options.allowHttpMirrors === true,
        requestTimeoutMs: requestTimeout * 1000,
        ...(forgeWebhookSecret ? { forgeWebhookSecret } : {}),
        webhooks: opened.webhooks,
        webhookDelivery: { allowPrivate: options.allowPrivateWebhooks === true, timeoutMs: webhookTimeout * 1000, retryForMs: webhookRetryFor * 1000 },
        ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
        validity: opened.validity,
        validityChecker: validityCheckerOptions,
        health: opened.health,
        ...(process.env.VIGIL_REDIS_URL ? { redisUrl: process.env.VIGIL_REDIS_URL } : {}),
        ...(metricsToken ? { metricsToken } : {}),
        // With --workers N a scrape reaches one process; it answers with every process's metrics.
        ...(workerIndex !== undefined ? { scrapeMetrics: clusterScrape(processMetrics()) } : {}),
      });
      let listening: { url: string };
      try {
        listening = await server.listen(port, options.host);
      } catch (error) {
        await opened.close();
        const code = (error as NodeJS.ErrnoException).code;
        throw new VigilError("ERR_SERVER_LISTEN", `cannot listen on ${options.host}:${port}: ${code ?? String(error)}`);
      }
      if (workerIndex !== undefined) process.send?.({ vigilListening: listening.url });
      else
        process.stderr.write(
          `vigil: serving ${listening.url} (API ${listening.url}/api/v3, ${opened.dialect} store)\n`,
        );
      log.info({ url: listening.url, dialect: opened.dialect, queue: runner.queue.backend, jobs: options.jobs }, "vigil serve started");
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      // Connections that do not close (a slow client, a cluster worker whose primary has gone) do not
      // keep the process: it ends within 5 s of the signal.
      setTimeout(() => process.exit(process.exitCode ?? 0), 5000).unref();
      // A running job gets 3 s to finish, then goes back to the queue for another process.
      await server.close({ graceMs: 3000 });
      await opened.close();
      if (workerIndex !== undefined) process.exit(0);
    });
}

function dialectOf(url: string | undefined): string {
  return url && /^postgres(?:ql)?:/i.test(url) ? "postgres" : "sqlite";
}

/** Starts `count` server processes on one port and stops them together; a worker that dies is restarted. */
async function runPrimary(count: number, dialect: string): Promise<void> {
  let stopping = false;
  let announced = false;
  const { answerClusterScrapes, createClusterAggregator } = await import("../../metrics/cluster-metrics.js");
  const aggregator = createClusterAggregator();
  const start = (index: number): void => {
    const worker = cluster.fork({ [WORKER_INDEX]: String(index) });
    answerClusterScrapes(worker, aggregator);
    worker.on("message", (message: { vigilListening?: string }) => {
      if (message.vigilListening && !announced) {
        announced = true;
        process.stderr.write(
          `vigil: serving ${message.vigilListening} (API ${message.vigilListening}/api/v3, ${dialect} store, ${countOf(count, "process", "processes")})\n`,
        );
      }
    });
    worker.on("exit", (code) => {
      if (stopping) return;
      process.stderr.write(`vigil: server process ${index} exited (${code ?? "signal"}); starting it again\n`);
      start(index);
    });
  };
  for (let i = 0; i < count; i++) start(i);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      stopping = true;
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      const workers = Object.values(cluster.workers ?? {});
      let left = workers.length;
      if (left === 0) resolve();
      for (const worker of workers) {
        worker?.once("exit", () => {
          if (--left === 0) resolve();
        });
        // Signal the process itself: worker.kill() first disconnects the channel the worker's server needs to close.
        worker?.process.kill("SIGTERM");
      }
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
