import { existsSync } from "node:fs";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { Logger } from "pino";
import type { AlertStore } from "../alerts/alert-store.js";
import type { PushProtectionStore } from "../push-protection/push-protection-store.js";
import { mountGitHttp } from "./git-http.js";
import { installPreReceiveHook } from "./hosted-hook.js";
import { mountUnblockPage } from "./unblock-page.js";
import { createApi } from "../api/create-api.js";
import { createInProcessRunner, type JobRunner } from "../jobs/job-runner.js";
import { VIGIL_VERSION } from "../version.js";
import { createRepositoryService, type HistoryScanner, type RepositoryService } from "./repository-service.js";

export interface ServerOptions {
  store: AlertStore;
  pushProtection: PushProtectionStore;
  /** How git hooks reach the store (the data directory, a database URL, the key when it came from the environment). */
  storeEnv: Record<string, string>;
  dataDir: string;
  scanHistory: HistoryScanner;
  log: Logger;
  publicUrl?: string;
  /** How often mirrors are fetched and rescanned when they changed. */
  fetchIntervalMs?: number;
  /** How often the store is checked for work recorded by other processes (`vigil repo add`). */
  sweepIntervalMs?: number;
  runner?: JobRunner;
  /** Sweep for pending scans, fetch mirrors and rescan at start (default true; one process of several does it). */
  background?: boolean;
}

export interface VigilServer {
  app: Hono;
  repositories: RepositoryService;
  runner: JobRunner;
  listen(port: number, hostname?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

/** Wires the API, the job runner and the repository service; `listen` opens the socket. */
export function createServer(options: ServerOptions): VigilServer {
  const { store, log } = options;
  const runner =
    options.runner ??
    createInProcessRunner({
      onError: (key, error) =>
        log.error({ job: key, err: error instanceof Error ? error.message : String(error) }, "job failed"),
    });
  const repositories = createRepositoryService({
    store,
    runner,
    dataDir: options.dataDir,
    scanHistory: options.scanHistory,
    log,
  });
  const app = new Hono();
  const api = createApi({
    store,
    log,
    registerRepository: (input) => repositories.register(input),
    pushProtection: options.pushProtection,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
  app.route("/api/v3", api);
  app.get("/", (c) => c.json({ name: "vigil", version: VIGIL_VERSION, api: "/api/v3" }));
  const hookEnv: Record<string, string> = { ...options.storeEnv };
  if (options.publicUrl) hookEnv.VIGIL_PUBLIC_URL = options.publicUrl;
  mountUnblockPage(app, store, options.pushProtection);
  mountGitHttp(app, {
    store,
    hookEnv,
    onPushAccepted: (repo) => {
      // Every accepted push is scanned with all patterns: alerts for what push protection lets through.
      repositories.scheduleScan(repo, "incremental");
    },
  });
  app.get("/healthz", (c) => c.json({ status: "ok" }));

  let server: ServerType | undefined;
  const timers: NodeJS.Timeout[] = [];
  let closed = false;

  return {
    app,
    repositories,
    runner,
    listen(port, hostname = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server = serve({ fetch: app.fetch, port, hostname }, (info) => {
          const url = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${info.port}`;
          hookEnv.VIGIL_PUBLIC_URL ??= url;
          resolve({ port: info.port, url });
        });
        server.once("error", reject);
        if (options.background === false) return;
        // Scans a dead process left running are marked interrupted first (and pending again); then every
        // repository is rescanned once at start, which is incremental and runs only new or changed
        // patterns over old history. Hosted repositories' hooks follow this installation of Node.js and Vigil.
        const sweep = (fetchMirrors: boolean): void => {
          repositories
            .sweep({ fetchMirrors })
            .catch((error: unknown) => log.warn({ err: String(error) }, "sweep failed"));
        };
        void repositories
          .recoverInterrupted()
          .catch((error: unknown) => log.warn({ err: String(error) }, "recovering interrupted scans failed"))
          .then(() => store.listRepositories())
          .then((repos) => {
            for (const repo of repos) {
              if (repo.sourceUrl === null && existsSync(repo.mirrorPath)) installPreReceiveHook(repo.mirrorPath);
              if (repo.secretScanningEnabled && existsSync(repo.mirrorPath))
                repositories.scheduleScan(repo, "incremental");
            }
            if (closed) return;
            sweep(false);
            timers.push(setInterval(() => sweep(false), options.sweepIntervalMs ?? 2000).unref());
            timers.push(setInterval(() => sweep(true), options.fetchIntervalMs ?? 5 * 60_000).unref());
          })
          .catch((error: unknown) => log.warn({ err: String(error) }, "start-up scans failed"));
      });
    },
    async close() {
      closed = true;
      for (const timer of timers) clearInterval(timer);
      await runner.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
