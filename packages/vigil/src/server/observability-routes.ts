import { createHash, timingSafeEqual } from "node:crypto";
import type { Hono, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AlertStore } from "../alerts/alert-store.js";
import { readToken } from "../api/authenticate.js";
import { DOCS_URL } from "../api/api-error.js";
import type { VigilMetrics } from "../metrics/vigil-metrics.js";
import type { StoreHealth } from "../store/store-health.js";
import { pingRedis } from "./redis-ping.js";

export interface ObservabilityOptions {
  metrics: VigilMetrics;
  /** Resolves tokens for `/metrics`. */
  store: AlertStore;
  /** The store's readiness; absent, `/readyz` checks only what else is configured. */
  health?: StoreHealth;
  /** Redis the jobs use (`VIGIL_REDIS_URL`): `/readyz` fails when it does not answer PING. */
  redisUrl?: string;
  /** A bearer token that may read `/metrics` and nothing else (`--metrics-token`, `VIGIL_METRICS_TOKEN`). */
  metricsToken?: string;
  /** Collects `/metrics` text from elsewhere (the processes of `--workers N`); default: this process's registry. */
  scrape?: () => Promise<string>;
  log: { warn(fields: Record<string, unknown>, message: string): void };
}

/** The label a request gets: its route template, never the path itself (which names repositories). */
function routeLabel(c: Parameters<MiddlewareHandler>[0]): string {
  const routes = matchedRoutes(c);
  // The last match is the handler; when only middleware matched, nothing handled the request.
  const last = routes[routes.length - 1];
  return last && last.method !== "ALL" ? last.path : "unmatched";
}

/** Times every request into `vigil_http_request_duration_seconds`. */
export function httpMetrics(metrics: VigilMetrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      // An error thrown by a handler has become its error handler's response by now.
      metrics.httpRequestDuration.observe(
        { method: c.req.method, route: routeLabel(c), status: String(c.res.status) },
        (performance.now() - started) / 1000,
      );
    }
  };
}

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/**
 * `/healthz` (the process answers: no store, no detail), `/readyz` (the store answers and its schema
 * is current; Redis answers when configured: 503 otherwise) and `/metrics` (Prometheus text; a site
 * administrator's token with the `site_admin` scope, or the metrics token).
 */
export function mountObservability(app: Hono, options: ObservabilityOptions): void {
  const { metrics } = options;
  options.metrics.setAlertCounter(options.health ? cachedAlertCounts(options.health) : undefined);
  const metricsToken = options.metricsToken ? digest(options.metricsToken) : undefined;

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  // Probes that arrive together share one round of checks: anyone may call /readyz, and each round
  // opens a Redis connection and queries the store.
  let inflight: Promise<{ ready: boolean; checks: Record<string, string> }> | undefined;
  const readiness = async (): Promise<{ ready: boolean; checks: Record<string, string> }> => {
    const checks: Record<string, "ok" | "failed" | "pending_migrations"> = {};
    const [store, redis] = await Promise.all([
      options.health?.readiness(),
      options.redisUrl ? pingRedis(options.redisUrl).then(() => undefined, (error: unknown) => (error instanceof Error ? error.message : String(error))) : undefined,
    ]);
    if (store) {
      checks.store = store.reachable ? "ok" : "failed";
      if (store.reachable) checks.migrations = store.pendingMigrations.length === 0 ? "ok" : "pending_migrations";
      if (!store.reachable) options.log.warn({ check: "store", error: store.error }, "not ready: the store does not answer");
      else if (store.pendingMigrations.length > 0)
        options.log.warn({ check: "migrations", pending: store.pendingMigrations }, "not ready: the database schema is older than this process (run vigil db migrate)");
    }
    if (options.redisUrl) {
      checks.redis = redis === undefined ? "ok" : "failed";
      if (redis !== undefined) options.log.warn({ check: "redis", error: redis }, "not ready: redis does not answer");
    }
    return { ready: Object.values(checks).every((v) => v === "ok"), checks };
  };

  app.get("/readyz", async (c) => {
    const { ready, checks } = await (inflight ??= readiness().finally(() => (inflight = undefined)));
    c.header("Cache-Control", "no-store");
    return c.json({ status: ready ? "ready" : "not_ready", checks }, ready ? 200 : 503);
  });

  app.get("/metrics", async (c) => {
    const token = readToken(c.req.header("authorization"));
    if (!token) return c.json({ message: "Requires authentication", documentation_url: DOCS_URL }, 401);
    const viaMetricsToken = metricsToken !== undefined && timingSafeEqual(digest(token), metricsToken);
    if (!viaMetricsToken) {
      const found = await options.store.authenticateToken(token);
      if (!found) return c.json({ message: "Bad credentials", documentation_url: DOCS_URL }, 401);
      if (!found.user.siteAdmin) return c.json({ message: "Not Found", documentation_url: DOCS_URL }, 404);
      if (!found.token.scopes.includes("site_admin"))
        return c.json({ message: "Resource not accessible by personal access token: /metrics needs the site_admin scope", documentation_url: DOCS_URL }, 403);
    }
    const text = await (options.scrape ? options.scrape() : metrics.registry.metrics());
    c.header("Cache-Control", "no-store");
    return c.body(text, 200, { "Content-Type": metrics.registry.contentType });
  });
}

/** Counts alerts at most every 10 s, however many scrapers ask (a grouped count over every alert). */
function cachedAlertCounts(health: StoreHealth): () => ReturnType<StoreHealth["alertCounts"]> {
  let cached: { at: number; value: ReturnType<StoreHealth["alertCounts"]> } | undefined;
  return () => {
    if (!cached || performance.now() - cached.at > 10_000) {
      const value = health.alertCounts();
      cached = { at: performance.now(), value };
      // A failed count is not kept: the next scrape asks again.
      value.catch(() => (cached = undefined));
    }
    return cached.value;
  };
}
