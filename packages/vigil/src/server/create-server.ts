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
import { createWebPages, WEB_FORM_PATHS } from "../web/pages.js";
import { CAMPAIGN_PAGE_PATHS, createCampaignPages } from "../web/campaign-pages.js";
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
import type { ValidityStore } from "../validity/validity-store.js";
import { createValidityChecker, type ValidityCheckerOptions } from "../validity/validity-checker.js";
import { checkAlertValidity } from "../validity/check-alert-validity.js";
import { createValiditySweeper, validityCheckKind, type ValiditySweeper } from "../validity/validity-sweeper.js";
import { contentBackfillKind, type ContentBackfillStates } from "../content/content-backfill-job.js";
import type { ValidityApi } from "../api/validity-routes.js";
import type { CampaignStore } from "../campaigns/campaign-store.js";
import { createRevokers, type IssuerUrls } from "../campaigns/revokers.js";
import { createAutoRemediator } from "../campaigns/auto-remediator.js";
import type { OverviewStore } from "../alerts/overview-store.js";
import { processMetrics, type VigilMetrics } from "../metrics/vigil-metrics.js";
import { observeJob } from "../metrics/job-metrics.js";
import { observedContentRecorder, observedHistoryScanner, observedValidityChecker } from "../metrics/scan-metrics.js";
import type { StoreHealth } from "../store/store-health.js";
import { httpMetrics, mountObservability } from "./observability-routes.js";
import {
  createRepositoryService,
  isMirrorPathInside,
  type HistoryScanner,
  type RepositoryService,
} from "./repository-service.js";
import type { CustomPatternStore } from "../custom-patterns/custom-pattern-store.js";
import { createCustomPatternJobs } from "../custom-patterns/custom-pattern-jobs.js";
import { toPatternInput } from "../custom-patterns/to-pattern-input.js";
import { CUSTOM_PATTERN_PAGE_PATHS, mountCustomPatternPages } from "../web/custom-patterns-page.js";

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
  /** How often the partner report outbox is checked for due reports, which queues a `partner-report` job (default 1 s). */
  partnerIntervalMs?: number;
  /** Partners reached in this process (`internal:<name>` URLs). */
  inProcessPartners?: Record<string, InProcessPartner>;
  fetch?: typeof fetch;
  /** Hooks and their deliveries; the background process delivers them. */
  webhooks?: WebhookStore;
  webhookDelivery?: { allowPrivate?: boolean; timeoutMs?: number; retryForMs?: number };
  /** The web pages' sessions (`openStore().sessions`); absent: no web pages, only the API, git and the allow page. */
  sessions?: WebSessionStore;
  /** Users' custom patterns (`openStore().customPatterns`): their API routes, and every scan runs the published ones. */
  customPatterns?: CustomPatternStore;
  /** Validity checks (`openStore().validity`); absent: none run and their routes 404. Each organization still has to enable them. */
  validity?: ValidityStore;
  /** The checker's limits (concurrency, budget, rate limits; `testOnlyOrigin` in tests only). */
  validityChecker?: ValidityCheckerOptions;
  /** How often new and stale alerts are looked for (default 2 s), and how old a check may get on an open alert (default 24 h). */
  validityIntervalMs?: number;
  validityRecheckMs?: number;
  /** Remediation campaigns (`openStore().campaigns`); absent: no campaign routes. */
  campaigns?: CampaignStore;
  /** Where auto-remediation revokes tokens (GitHub Enterprise Server, tests); default the public issuers. */
  issuerUrls?: IssuerUrls;
  /** How often the secret types owners enabled are revoked in the background (default 60 s). */
  autoRemediationIntervalMs?: number;
  /** The security overview's figures (`openStore().overview`); absent, the overview page says so. */
  overview?: OverviewStore;
  /** Where metrics are counted (default: the process's registry); `GET /metrics` serves them. */
  metrics?: VigilMetrics;
  /** The store's readiness and alert counts (`openStore().health`); absent, `/readyz` does not check the store. */
  health?: StoreHealth;
  /** Redis the jobs use: `/readyz` fails while it does not answer. */
  redisUrl?: string;
  /** A token that may read `/metrics` only (besides site administrators' tokens with `site_admin`). */
  metricsToken?: string;
  /** Content backfills' positions (`createContentBackfillStates(db)`): enables the `content-backfill` job kind. */
  contentBackfills?: ContentBackfillStates;
  /** The forge token content backfills use (`VIGIL_FORGE_TOKEN` of the process running the job). */
  forgeToken?: string;
  /** How often the serving node looks for webhook deliveries due, and queues a job to send them (default 1 s; partner reports: `partnerIntervalMs`). */
  outboxPollMs?: number;
  /** Collects `/metrics` text (`--workers N`: from every process); default this process's registry. */
  scrapeMetrics?: () => Promise<string>;
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
  const metrics = options.metrics ?? processMetrics();
  const runner =
    options.runner ??
    (() => {
      const kinds = createJobKinds();
      return createJobRunner(createMemoryJobQueue({ kinds }), kinds);
    })();
  const repositories = createRepositoryService({
    store,
    runner,
    dataDir: options.dataDir,
    scanHistory: observedHistoryScanner(options.scanHistory, metrics, "git_history"),
    ...(options.scanStates ? { scanStates: options.scanStates } : {}),
    ...(options.mirrorCache ? { mirrorCache: options.mirrorCache } : {}),
    log,
    ...(options.customPatterns
      ? {
          customPatternsFor: async (repo) =>
            (await options.customPatterns!.publishedFor(repo.id, repo.orgId)).map(toPatternInput),
        }
      : {}),
  });
  const customPatternJobs = options.customPatterns
    ? createCustomPatternJobs({ store, customPatterns: options.customPatterns, runner, log })
    : undefined;
  const validityStore = options.validity;
  const validityChecker = validityStore
    ? observedValidityChecker(
        createValidityChecker({ ...(options.fetch ? { fetch: options.fetch } : {}), ...options.validityChecker }),
        metrics,
      )
    : undefined;
  const validityDeps =
    validityStore && validityChecker
      ? { alerts: store, validity: validityStore, checker: validityChecker, log }
      : undefined;
  // Checks run as `validity-check` jobs on whichever process runs jobs; the serving node's sweep queues them.
  if (validityDeps) runner.kinds.register(validityCheckKind(validityDeps, options.validityChecker?.concurrency ?? 4));
  const validityApi: ValidityApi | undefined = validityDeps
    ? {
        store: validityDeps.validity,
        supports: (type) => validityDeps.checker.supports(type),
        checkNow: (repo, alert, actorId) =>
          checkAlertValidity(validityDeps, repo.id, alert.number, "on_demand", actorId),
      }
    : undefined;
  const validitySweeper: ValiditySweeper | undefined = validityDeps
    ? createValiditySweeper({
        ...validityDeps,
        runner,
        ...(options.validityRecheckMs !== undefined ? { recheckAfterMs: options.validityRecheckMs } : {}),
        warn: (fields, message) => log.warn(fields, message),
      })
    : undefined;
  const countedRecordContent = observedContentRecorder(recordContent, metrics);
  const app = new Hono();
  let listeningUrl: string | undefined;
  const origin = (): string => (options.publicUrl ?? listeningUrl ?? "http://127.0.0.1").replace(/\/+$/, "");
  // Deliveries stay in their outbox (the source of truth, with per-delivery retries and the delivery
  // log); a `webhook-delivery` job drains what is due, on whichever process runs jobs.
  const dispatcher: WebhookDispatcher | undefined = options.webhooks
    ? createWebhookDispatcher({
        store,
        webhooks: options.webhooks,
        urls: () => ({ web: origin(), api: `${origin()}/api/v3` }),
        log,
        ...options.webhookDelivery,
        ...(options.customPatterns ? { customPatterns: options.customPatterns } : {}),
        onAttempt: ({ kind, ok, retry, durationMs }) => {
          const outcome = ok ? "success" : retry ? "failure" : "gave_up";
          metrics.webhookDeliveries.inc({ kind, outcome });
          metrics.webhookDeliveryDuration.observe({ kind, outcome }, durationMs / 1000);
        },
      })
    : undefined;
  const queueWebhookDelivery = (): void =>
    void runner
      .enqueue(JOB_KINDS.webhookDelivery, {}, { key: JOB_KINDS.webhookDelivery, group: JOB_KINDS.webhookDelivery })
      .catch((error: unknown) => log.warn({ err: String(error) }, "cannot queue webhook deliveries"));
  if (dispatcher)
    runner.kinds.register({
      name: JOB_KINDS.webhookDelivery,
      priority: 1,
      attempts: 5,
      backoffMs: 2_000,
      timeoutMs: 5 * 60_000,
      concurrency: 1,
      run: async (_payload, { signal }) => void (await dispatcher.drain(signal)),
    });
  const revokers = options.campaigns
    ? createRevokers({
        ...(options.issuerUrls ? { urls: options.issuerUrls } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        revokeVigilToken: async (token: string) => {
          const found = await store.findToken(token);
          if (!found || found.token.revokedAt !== null) return false;
          await store.revokeToken(found.token.id);
          return true;
        },
      })
    : undefined;
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
    recordContent: (repo, items) => countedRecordContent(store, matcher(), repo, items),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks, onDeliveryQueued: queueWebhookDelivery } : {}),
    ...(options.customPatterns && customPatternJobs
      ? { customPatterns: { store: options.customPatterns, jobs: customPatternJobs } }
      : {}),
    ...(validityApi ? { validity: validityApi } : {}),
    ...(options.campaigns
      ? {
          campaigns: {
            campaigns: options.campaigns,
            revokers: revokers!,
            log,
            ...(options.webhooks ? { webhooks: options.webhooks, sinkDelivery: { ...options.webhookDelivery } } : {}),
          },
        }
      : {}),
    jobs: runner.queue,
  });
  app.use("*", httpMetrics(metrics));
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
    // Every page's form is small (a bulk close lists at most a page of alerts).
    for (const path of WEB_FORM_PATHS) {
      app.use(path, bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text("Payload too large\n", 413) }));
    }
    app.route(
      "/",
      createWebPages({
        store,
        sessions: options.sessions,
        pushProtection: options.pushProtection,
        ...(options.reviews ? { reviews: options.reviews } : {}),
        ...(options.webhooks ? { webhooks: options.webhooks, onWebhookQueued: queueWebhookDelivery } : {}),
        ...(options.overview ? { overview: options.overview } : {}),
        ...(validityApi ? { validity: validityApi } : {}),
        ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      }),
    );
    if (options.campaigns) {
      for (const path of [CAMPAIGN_PAGE_PATHS.campaigns, CAMPAIGN_PAGE_PATHS.campaign])
        app.use(path, bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text("Payload too large\n", 413) }));
      app.route(
        "/",
        createCampaignPages({
          store,
          sessions: options.sessions,
          campaigns: options.campaigns,
          ...(options.webhooks
            ? { webhooks: options.webhooks, allowPrivateSinks: options.webhookDelivery?.allowPrivate === true }
            : {}),
          ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
        }),
      );
    }
    if (options.customPatterns && customPatternJobs) {
      for (const path of Object.values(CUSTOM_PATTERN_PAGE_PATHS))
        app.use(path, bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text("Payload too large\n", 413) }));
      mountCustomPatternPages(app, {
        store,
        sessions: options.sessions,
        customPatterns: options.customPatterns,
        jobs: customPatternJobs,
      });
    }
  }
  mountGitHttp(app, {
    store,
    dataDir: options.dataDir,
    hookEnv,
    onPushAccepted: (repo) => {
      // Every accepted push is scanned with all patterns: alerts for what push protection lets through.
      void repositories
        .scheduleScan(repo, "incremental")
        .catch((error: unknown) =>
          log.warn({ repo: repo.fullName, err: String(error) }, "cannot queue the push's scan"),
        );
    },
  });
  mountObservability(app, {
    metrics,
    store,
    log,
    ...(options.health ? { health: options.health } : {}),
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
    ...(options.scrapeMetrics ? { scrape: options.scrapeMetrics } : {}),
  });
  let contentMatcher: Matcher | undefined;
  const matcher = (): Matcher => (contentMatcher ??= buildMatcher(matcherSettingsFromConfig(defaultConfig())));
  if (options.forgeWebhookSecret)
    mountForgeWebhook(app, {
      store,
      secret: options.forgeWebhookSecret,
      matcher,
      recordContent: countedRecordContent,
      log,
      // gollum (and Gitea's wiki, GitLab's Wiki Page Hook): the wiki's git history is scanned in the background.
      onWikiChanged: (repo, webUrl) =>
        void runner
          .enqueue(
            JOB_KINDS.wikiScan,
            { repoId: repo.id, webUrl: webUrl ?? null },
            { key: `wiki:${repo.id}`, group: `wiki:${repo.id}`, fairKey: `org:${repo.orgId}` },
          )
          .catch((error: unknown) =>
            log.warn({ repo: repo.fullName, err: String(error) }, "cannot queue the wiki scan"),
          ),
    });
  runner.kinds.register<{ repoId: number; webUrl: string | null }>({
    name: JOB_KINDS.wikiScan,
    priority: 6,
    attempts: 3,
    async run({ repoId, webUrl }, { signal }) {
      const repo = await store.getRepositoryById(repoId);
      if (!repo) return;
      const base = webUrl ?? `${options.publicUrl ?? hookEnv.VIGIL_PUBLIC_URL ?? ""}/${repo.fullName}`;
      const result = await scanWiki(
        store,
        observedHistoryScanner(options.scanHistory, metrics, "wiki"),
        repo,
        base,
        signal,
      );
      if (result)
        log.info(
          { repo: repo.fullName, created: result.created.length, locationsAdded: result.locationsAdded },
          "wiki scanned",
        );
    },
  });
  if (options.contentBackfills)
    runner.kinds.register(
      contentBackfillKind({
        store,
        states: options.contentBackfills,
        runner,
        matcher,
        recordContent: countedRecordContent,
        token: options.forgeToken,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        log,
      }),
    );

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
        onSent: ({ partner, reports, ok }) =>
          metrics.partnerReports.inc({ partner, outcome: ok ? "success" : "failure" }, reports),
      })
    : undefined;
  // Reports stay in their outbox (`partner_reports`: per-report retries, leases); a `partner-report` job sends what is due.
  if (partnerReporter)
    runner.kinds.register({
      name: JOB_KINDS.partnerReport,
      priority: 1,
      attempts: 5,
      backoffMs: 2_000,
      timeoutMs: 5 * 60_000,
      concurrency: 1,
      run: async () => void (await partnerReporter.drain()),
    });
  const remediator =
    options.campaigns && revokers
      ? createAutoRemediator({ store, campaigns: options.campaigns, revokers, log })
      : undefined;
  if (remediator)
    runner.kinds.register({
      name: JOB_KINDS.autoRemediation,
      priority: 3,
      attempts: 3,
      backoffMs: 10_000,
      timeoutMs: 15 * 60_000,
      concurrency: 1,
      run: async (_payload, { signal }) => void (await remediator.sweep(signal)),
    });

  if (options.runJobs !== false)
    runner.work({
      concurrency: options.jobConcurrency ?? 2,
      onEvent: (event) => {
        const fields = { job: event.job.id, kind: event.job.kind, attempt: event.job.attempts };
        if (event.type === "completed" || event.type === "failed")
          observeJob(
            event.job.kind,
            event.type === "completed" ? "completed" : event.dead ? "dead" : "failed",
            (event.durationMs ?? 0) / 1000,
            metrics,
          );
        if (event.type === "failed")
          log.warn(
            { ...fields, err: event.error, dead: event.dead },
            event.dead ? "job failed for the last time (dead letter)" : "job failed; it is retried",
          );
        else if (event.type === "completed") log.debug({ ...fields, ms: event.durationMs }, "job completed");
        else if (event.type === "handed-back") log.info(fields, "job handed back to the queue");
      },
    });

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
        // The outboxes are looked at here, cheaply (one indexed read each), and a job is queued only
        // when something is due: the queue is not filled with empty passes.
        const every = (intervalMs: number, what: string, check: () => Promise<void>): void => {
          let running = false;
          const tick = (): void => {
            if (running || closed) return;
            running = true;
            check()
              .catch((error: unknown) => log.warn({ err: String(error) }, `cannot look for ${what}`))
              .finally(() => (running = false));
          };
          tick();
          timers.push(setInterval(tick, intervalMs).unref());
        };
        const webhooks = options.webhooks;
        if (webhooks && dispatcher)
          every(options.outboxPollMs ?? 1000, "webhook deliveries", async () => {
            const now = new Date().toISOString();
            if (
              (await store.listUndeliveredEvents(1)).length > 0 ||
              (await webhooks.listUnannouncedScans(1)).length > 0 ||
              (await webhooks.listDueDeliveries(now, 1, [])).length > 0
            )
              queueWebhookDelivery();
          });
        if (partners && partnerReporter)
          every(options.partnerIntervalMs ?? 1000, "partner reports", async () => {
            if (await partners.hasDueReports())
              await runner.enqueue(
                JOB_KINDS.partnerReport,
                {},
                { key: JOB_KINDS.partnerReport, group: JOB_KINDS.partnerReport },
              );
          });
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
                log.warn(
                  { repo: repo.fullName, path: repo.mirrorPath },
                  "repository path outside the data directory: not served, scanned or given a hook",
                );
                continue;
              }
              if (repo.sourceUrl === null && existsSync(repo.mirrorPath)) installPreReceiveHook(repo.mirrorPath);
              if (repo.secretScanningEnabled && existsSync(repo.mirrorPath))
                void repositories
                  .scheduleScan(repo, "incremental")
                  .catch((error: unknown) =>
                    log.warn({ repo: repo.fullName, err: String(error) }, "cannot queue the scan"),
                  );
            }
            if (closed) return;
            sweep(false);
            timers.push(setInterval(() => sweep(false), options.sweepIntervalMs ?? 2000).unref());
            timers.push(setInterval(() => sweep(true), options.fetchIntervalMs ?? 5 * 60_000).unref());
          })
          .catch((error: unknown) => log.warn({ err: String(error) }, "start-up scans failed"));
        if (partners)
          void ensureVigilPartner(partners).catch((error: unknown) =>
            log.warn({ err: String(error) }, "cannot register the vigil partner"),
          );
        validitySweeper?.start(options.validityIntervalMs ?? 2000);
        if (remediator) {
          // Coalesced by key, one at a time anywhere (group): a slow issuer never stacks sweeps.
          const sweepRevocations = (): void =>
            void runner
              .enqueue(
                JOB_KINDS.autoRemediation,
                {},
                { key: JOB_KINDS.autoRemediation, group: JOB_KINDS.autoRemediation },
              )
              .catch((error: unknown) => log.warn({ err: String(error) }, "cannot queue auto-remediation"));
          timers.push(setInterval(sweepRevocations, options.autoRemediationIntervalMs ?? 60_000).unref());
        }
      });
    },
    async close({ graceMs = 0 } = {}) {
      closed = true;
      for (const timer of timers) clearInterval(timer);
      await partnerReporter?.stop();
      validitySweeper?.stop();
      await runner.close({ graceMs });
      await dispatcher?.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}
