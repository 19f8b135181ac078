import { existsSync } from "node:fs";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "pino";
import type { AlertStore } from "../alerts/alert-store.js";
import type { PushProtectionStore } from "../push-protection/push-protection-store.js";
import type { Matcher } from "vigil-secrets-engine";
import { defaultConfig } from "../config/default-config.js";
import { buildMatcher, matcherSettingsFromConfig } from "../scan/matcher-settings.js";
import { mountForgeWebhook } from "./forge-webhook.js";
import { scanWiki } from "./wiki-scan.js";
import { recordContent } from "../content/content-scanner.js";
import { formatPublicKeys } from "../api/partner-routes.js";
import { createPartnerReporter, type InProcessPartner, type PartnerReporter } from "../partners/partner-reporter.js";
import type { PartnerStore } from "../partners/partner-store.js";
import { createVigilTokenPartner, ensureVigilPartner } from "./vigil-token-partner.js";
import type { ReviewStore } from "../alerts/review-store.js";
import { mountGitHttp } from "./git-http.js";
import { installPreReceiveHook } from "./hosted-hook.js";
import { mountUnblockPage, UNBLOCK_PAGE_PATH } from "./unblock-page.js";
import { createWebPages } from "../web/pages.js";
import type { WebSessionStore } from "../web/session-store.js";
import { hasNul } from "../api/authenticate.js";
import { readGitObject } from "../sources/git/git-objects.js";
import { createApi } from "../api/create-api.js";
import { createJobRunner, type JobRunner } from "../jobs/job-runner.js";
import { createJobKinds, JOB_KINDS } from "../jobs/job-kind.js";
import { createMemoryJobQueue } from "../jobs/memory-job-queue.js";
import type { ScanStateStore } from "../store/kysely-scan-state-store.js";
import type { MirrorCache } from "./mirror-cache.js";
import { VIGIL_VERSION } from "../version.js";
import { createWebhookDispatcher, type WebhookDispatcher } from "../webhooks/dispatcher.js";
import type { WebhookStore } from "../webhooks/webhook-store.js";
import { createRepositoryService, isMirrorPathInside, type HistoryScanner, type RepositoryService } from "./repository-service.js";

export interface ServerOptions {
  store: AlertStore;
  pushProtection: PushProtectionStore;
  /** Delegated bypass and alert dismissal; absent, no organization can require review. */
  reviews?: ReviewStore;
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
  /** Where background jobs are queued (`vigil serve`: the store's queue, or BullMQ); default: in memory. */
  runner?: JobRunner;
  /** Run queued jobs in this process (default true); `vigil serve --no-jobs` only queues them for `vigil worker`. */
  runJobs?: boolean;
  /** Jobs this process runs at once (default 2). */
  jobConcurrency?: number;
  /** Incremental scan state in the store (`createScanStateStore`), so any worker continues any repository. */
  scanStates?: ScanStateStore;
  /** `vigil worker`: its own bounded mirror cache. */
  mirrorCache?: MirrorCache;
  /** Sweep for pending scans, fetch mirrors and rescan at start (default true; one process of several does it). */
  background?: boolean;
  /** Time to receive a request's headers (default 20 s) and the whole request (default 300 s; a git push is one request). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Accept `http://` mirror sources over the API (https and ssh always; local paths only through `vigil repo add`). */
  allowHttpMirrors?: boolean;
  /** Enables `POST /webhooks/forge`: deliveries must be signed with this secret. */
  forgeWebhookSecret?: string;
  /** Partners and signing keys: reports to token issuers, `/meta/public_keys/secret_scanning`, the admin routes. */
  partners?: PartnerStore;
  /** How often the partner report queue is checked (default 1 s). */
  partnerIntervalMs?: number;
  /** Partners reached in this process (`internal:<name>` URLs). */
  inProcessPartners?: Record<string, InProcessPartner>;
  fetch?: typeof fetch;
  /** Hooks and their deliveries; the background process delivers them. */
  webhooks?: WebhookStore;
  webhookDelivery?: { allowPrivate?: boolean; timeoutMs?: number; retryForMs?: number };
  /** The web pages' sessions (`openStore().sessions`); absent: no web pages, only the API, git and the allow page. */
  sessions?: WebSessionStore;
}

export interface VigilServer {
  app: Hono;
  repositories: RepositoryService;
  runner: JobRunner;
  partnerReporter: PartnerReporter | undefined;
  listen(port: number, hostname?: string): Promise<{ port: number; url: string }>;
  /** Stops; running jobs get `graceMs` (default 0) to finish, then are handed back to the queue. */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Wires the API, the job runner and the repository service; `listen` opens the socket. */
export function createServer(options: ServerOptions): VigilServer {
  const { store, log } = options;
  const runner = options.runner ?? (() => {
    const kinds = createJobKinds();
    return createJobRunner(createMemoryJobQueue({ kinds }), kinds);
  })();
  const repositories = createRepositoryService({
    store,
    runner,
    dataDir: options.dataDir,
    scanHistory: options.scanHistory,
    ...(options.scanStates ? { scanStates: options.scanStates } : {}),
    ...(options.mirrorCache ? { mirrorCache: options.mirrorCache } : {}),
    log,
  });
  const app = new Hono();
  let dispatcher: WebhookDispatcher | undefined;
  let listeningUrl: string | undefined;
  const api = createApi({
    store,
    log,
    registerRepository: (input) => repositories.register(input),
    removeRepository: async (repo) => void (await repositories.remove(repo)),
    readGitObject: (gitDir, objectId, maxSize) => readGitObject(gitDir, objectId, { maxSize }),
    pushProtection: options.pushProtection,
    ...(options.reviews ? { reviews: options.reviews } : {}),
    allowHttpMirrors: options.allowHttpMirrors === true,
    ...(options.partners ? { partners: options.partners } : {}),
    recordContent: (repo, items) => recordContent(store, matcher(), repo, items),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks, onDeliveryQueued: () => dispatcher?.poke() } : {}),
    jobs: runner.queue,
  });
  // Pages and git: a path with a NUL character names nothing (the API answers the same, in its own shape).
  app.use("*", async (c, next) => {
    if (!c.req.path.startsWith("/api/") && hasNul(new URL(c.req.url).pathname)) return c.text("Not Found\n", 404);
    await next();
  });
  const { partners } = options;
  if (partners) {
    // GitHub's public endpoint, with or without the API prefix: partners verify Vigil's reports with it.
    const publicKeys = async (): Promise<Response> => Response.json(formatPublicKeys(await partners.listSigningKeys()));
    app.get("/meta/public_keys/secret_scanning", publicKeys);
    app.get("/api/v3/meta/public_keys/secret_scanning", publicKeys);
  }
  app.route("/api/v3", api);
  app.get("/", (c) => c.json({ name: "vigil", version: VIGIL_VERSION, api: "/api/v3" }));
  const hookEnv: Record<string, string> = { ...options.storeEnv };
  if (options.publicUrl) hookEnv.VIGIL_PUBLIC_URL = options.publicUrl;
  // The allow page's form is a few fields; git pushes (below) are not limited, they are git's to bound.
  app.use(UNBLOCK_PAGE_PATH, bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text("Payload too large\n", 413) }));
  mountUnblockPage(app, store, options.pushProtection, options.reviews, options.sessions);
  if (options.sessions) {
    // Sign-in, alert lists and the alert page: small forms only.
    for (const path of ["/login", "/logout", "/:owner/:repo/security/secret-scanning/:number"]) {
      app.use(path, bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text("Payload too large\n", 413) }));
    }
    app.route("/", createWebPages({ store, sessions: options.sessions, ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) }));
  }
  mountGitHttp(app, {
    store,
    dataDir: options.dataDir,
    hookEnv,
    onPushAccepted: (repo) => {
      // Every accepted push is scanned with all patterns: alerts for what push protection lets through.
      void repositories.scheduleScan(repo, "incremental").catch((error: unknown) => log.warn({ repo: repo.fullName, err: String(error) }, "cannot queue the push's scan"));
    },
  });
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  let contentMatcher: Matcher | undefined;
  const matcher = (): Matcher => (contentMatcher ??= buildMatcher(matcherSettingsFromConfig(defaultConfig())));
  if (options.forgeWebhookSecret)
    mountForgeWebhook(app, {
      store,
      secret: options.forgeWebhookSecret,
      matcher,
      log,
      // gollum (and Gitea's wiki, GitLab's Wiki Page Hook): the wiki's git history is scanned in the background.
      onWikiChanged: (repo, webUrl) =>
        void runner
          .enqueue(JOB_KINDS.wikiScan, { repoId: repo.id, webUrl: webUrl ?? null }, { key: `wiki:${repo.id}`, group: `wiki:${repo.id}`, fairKey: `org:${repo.orgId}` })
          .catch((error: unknown) => log.warn({ repo: repo.fullName, err: String(error) }, "cannot queue the wiki scan")),
    });
  runner.kinds.register<{ repoId: number; webUrl: string | null }>({
    name: JOB_KINDS.wikiScan,
    priority: 6,
    attempts: 3,
    async run({ repoId, webUrl }, { signal }) {
      const repo = await store.getRepositoryById(repoId);
      if (!repo) return;
      const base = webUrl ?? `${options.publicUrl ?? hookEnv.VIGIL_PUBLIC_URL ?? ""}/${repo.fullName}`;
      const result = await scanWiki(store, options.scanHistory, repo, base, signal);
      if (result) log.info({ repo: repo.fullName, created: result.created.length, locationsAdded: result.locationsAdded }, "wiki scanned");
    },
  });
  if (options.runJobs !== false)
    runner.work({
      concurrency: options.jobConcurrency ?? 2,
      onEvent: (event) => {
        const fields = { job: event.job.id, kind: event.job.kind, attempt: event.job.attempts };
        if (event.type === "failed") log.warn({ ...fields, err: event.error, dead: event.dead }, event.dead ? "job failed for the last time (dead letter)" : "job failed; it is retried");
        else if (event.type === "completed") log.debug({ ...fields, ms: event.durationMs }, "job completed");
        else if (event.type === "handed-back") log.info(fields, "job handed back to the queue");
      },
    });

  // Vigil's own tokens are revoked through the same receiver any issuer uses.
  const vigilPartner = partners ? createVigilTokenPartner({ store, partners, log }) : undefined;
  const partnerReporter = partners
    ? createPartnerReporter({
        partners,
        alerts: store,
        log,
        publicUrl: () => options.publicUrl ?? hookEnv.VIGIL_PUBLIC_URL ?? "",
        inProcess: { vigil: vigilPartner!.handler, ...options.inProcessPartners },
        ...(options.fetch ? { fetch: options.fetch } : {}),
      })
    : undefined;
  let server: ServerType | undefined;
  const timers: NodeJS.Timeout[] = [];
  let closed = false;

  return {
    app,
    repositories,
    runner,
    partnerReporter,
    listen(port, hostname = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        const requestTimeout = options.requestTimeoutMs ?? 300_000;
        const headersTimeout = Math.min(options.headersTimeoutMs ?? 20_000, requestTimeout);
        const serverOptions = {
          // A client that sends its headers or its body too slowly is cut off (408) instead of holding a socket.
          headersTimeout,
          requestTimeout,
          connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(headersTimeout / 4))),
        };
        server = serve({ fetch: app.fetch, port, hostname, serverOptions }, (info) => {
          const url = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${info.port}`;
          hookEnv.VIGIL_PUBLIC_URL ??= url;
          listeningUrl = url;
          resolve({ port: info.port, url });
        });
        server.once("error", reject);
        if (options.background === false) return;
        if (options.webhooks) {
          const origin = (): string => (options.publicUrl ?? listeningUrl ?? "http://127.0.0.1").replace(/\/+$/, "");
          dispatcher = createWebhookDispatcher({ store, webhooks: options.webhooks, urls: () => ({ web: origin(), api: `${origin()}/api/v3` }), log, ...options.webhookDelivery });
          dispatcher.start();
        }
        const sweep = (fetchMirrors: boolean): void => {
          repositories
            .sweep({ fetchMirrors })
            .catch((error: unknown) => log.warn({ err: String(error) }, "sweep failed"));
        };
        // Scans a dead process left running are marked interrupted first (and pending again); then every
        // repository is rescanned once at start, which is incremental and runs only new or changed
        // patterns over old history. Hosted repositories' hooks follow this installation of Node.js and Vigil.
        void repositories
          .recoverInterrupted()
          .catch((error: unknown) => log.warn({ err: String(error) }, "recovering interrupted scans failed"))
          .then(() => store.listRepositories())
          .then((repos) => {
            for (const repo of repos) {
              if (!isMirrorPathInside(options.dataDir, repo.mirrorPath)) {
                log.warn({ repo: repo.fullName, path: repo.mirrorPath }, "repository path outside the data directory: not served, scanned or given a hook");
                continue;
              }
              if (repo.sourceUrl === null && existsSync(repo.mirrorPath)) installPreReceiveHook(repo.mirrorPath);
              if (repo.secretScanningEnabled && existsSync(repo.mirrorPath))
                void repositories.scheduleScan(repo, "incremental").catch((error: unknown) => log.warn({ repo: repo.fullName, err: String(error) }, "cannot queue the scan"));
            }
            if (closed) return;
            sweep(false);
            timers.push(setInterval(() => sweep(false), options.sweepIntervalMs ?? 2000).unref());
            timers.push(setInterval(() => sweep(true), options.fetchIntervalMs ?? 5 * 60_000).unref());
          })
          .catch((error: unknown) => log.warn({ err: String(error) }, "start-up scans failed"));
        if (partners) void ensureVigilPartner(partners).catch((error: unknown) => log.warn({ err: String(error) }, "cannot register the vigil partner"));
        partnerReporter?.start(options.partnerIntervalMs ?? 1000);
      });
    },
    async close({ graceMs = 0 } = {}) {
      closed = true;
      for (const timer of timers) clearInterval(timer);
      await partnerReporter?.stop();
      await dispatcher?.close();
      await runner.close({ graceMs });
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
