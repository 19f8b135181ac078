import { createHmac, randomUUID } from "node:crypto";
import type { AlertStore } from "../alerts/alert-store.js";
import type { ApiUrls } from "../api/api-env.js";
import type { CustomPatternScanInfo, CustomPatternStore } from "../custom-patterns/custom-pattern-store.js";
import { VIGIL_VERSION } from "../version.js";
import { maskSecret } from "vigil-secrets-engine";
import { postWebhook, type PostWebhookResult } from "./post-webhook.js";
import { formatSinkMessage, sendSinkEmail, sinkAccepts, sinkHeaders, type SinkEvent } from "./sinks.js";
import { buildEventPayload, buildScanPayload } from "./webhook-payload.js";
import type { Delivery, Hook, NewDelivery, WebhookStore } from "./webhook-store.js";

export interface DispatcherLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface DispatcherOptions {
  store: AlertStore;
  webhooks: WebhookStore;
  /** Where the API and web pages are, for the URLs inside payloads. */
  urls: () => ApiUrls;
  enterpriseSlug?: string;
  /** What each custom pattern's scan ran, for its `secret_scanning_scan` payload (pattern, level, type, sender). */
  customPatterns?: Pick<CustomPatternStore, "scanPatterns">;
  allowPrivate?: boolean;
  /** Per attempt (GitHub: 10 s). */
  timeoutMs?: number;
  /** How long a failing delivery is retried from its creation (default 24 h). */
  retryForMs?: number;
  /** First retry delay; doubles per attempt up to `maxDelayMs`, with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Deliveries in flight at once (over all hooks). */
  concurrency?: number;
  /** How often the outbox and the queue are read when nothing wakes the dispatcher. */
  pollMs?: number;
  log?: DispatcherLogger;
  /** In [0, 1): the jitter source (tests pass a seeded one). */
  random?: () => number;
  now?: () => Date;
  /** Told of every attempt made (metrics): the hook's kind, whether it worked, whether it will be retried. */
  onAttempt?: (attempt: { kind: string; ok: boolean; retry: boolean; durationMs: number }) => void;
}

export interface WebhookDispatcher {
  start(): void;
  /** Reads the outbox and the queue now (the API calls it after creating a ping or a redelivery). */
  poke(): void;
  /** One pass: fans the outbox out, then sends what is due and waits for those attempts. */
  runOnce(): Promise<void>;
  /**
   * The `webhook-delivery` job: fans the outbox out and sends every delivery due now, until none is
   * (or `maxMs` passed: the next job continues). A refused delivery is the delivery's own retry
   * (backoff until its give-up time, in the hook's delivery log); the job fails only when the pass
   * itself does (the store unreachable), and the queue retries that. Idempotent: the outbox records
   * each attempt before it is made, so a second run sends nothing that was sent.
   */
  drain(signal?: AbortSignal, maxMs?: number): Promise<number>;
  close(): Promise<void>;
}

export const USER_AGENT = `GitHub-Hookshot/vigil-${VIGIL_VERSION}`;
const FANOUT_BATCH = 100;
const DEFAULT_RETRY_FOR_MS = 24 * 60 * 60 * 1000;

/**
 * Delivers the outbox at least once. Each pass fans new alert events out into one delivery per
 * subscribed hook (in the transaction that marks the events delivered), then sends due
 * deliveries: one at a time per hook and alert, in order, many hooks in parallel. An attempt is
 * counted before it is made; a failed one is retried with exponential backoff and jitter until the
 * delivery's give-up time, with the same `X-GitHub-Delivery` GUID.
 */
export function createWebhookDispatcher(options: DispatcherOptions): WebhookDispatcher {
  const { store, webhooks } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retryForMs = options.retryForMs ?? DEFAULT_RETRY_FOR_MS;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 5 * 60_000;
  const concurrency = options.concurrency ?? 8;
  const pollMs = options.pollMs ?? 250;
  const random = options.random ?? Math.random;
  const clock = options.now ?? (() => new Date());
  const enterpriseSlug = options.enterpriseSlug ?? "vigil";
  const inFlight = new Map<number, Promise<void>>();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let passing: Promise<void> | null = null;
  let again = false;
  let fanOutWanted = true;
  let closed = false;

  const backoff = (attempt: number): number =>
    Math.min(baseDelayMs * 2 ** Math.max(0, attempt - 1), maxDelayMs) * (0.5 + random() / 2);

  async function fanOut(): Promise<void> {
    for (;;) {
      const events = await store.listUndeliveredEvents(FANOUT_BATCH);
      if (events.length === 0) return;
      const deliveries: NewDelivery[] = [];
      const hooksByRepo = new Map<number, Hook[]>();
      for (const event of events) {
        const built = await buildEventPayload(store, event, { urls: options.urls(), enterpriseSlug });
        if (!built) continue;
        let hooks = hooksByRepo.get(built.repo.id);
        if (!hooks) {
          hooks = await webhooks.listHooksForRepository(built.repo.id, built.org.id);
          hooksByRepo.set(built.repo.id, hooks);
        }
        const subscribed = hooks.filter((hook) => hook.events.includes("*") || hook.events.includes(built.event));
        if (subscribed.length === 0) continue;
        // One GUID per event, shared by every hook it goes to, as GitHub's `guid`.
        const guid = randomUUID();
        const json = JSON.stringify(built.payload);
        let sinkEvent: SinkEvent | undefined;
        for (const hook of subscribed) {
          let body: string;
          if (hook.kind === "webhook") body = encodeBody(json, hook.contentType);
          else {
            sinkEvent ??= await toSinkEvent(built.event, built.repo.id, built.repo.fullName, built.payload);
            if (!sinkAccepts(hook.settings, sinkEvent)) continue;
            body = JSON.stringify(
              hook.kind === "email" ? sinkEvent : formatSinkMessage(hook.kind, sinkEvent, event.createdAt),
            );
          }
          deliveries.push({
            guid,
            hookId: hook.id,
            eventId: event.id,
            event: built.event,
            action: built.action,
            repoId: built.repo.id,
            orderKey: `alert:${event.alertId}`,
            body,
          });
        }
      }
      await webhooks.enqueueEventDeliveries(
        events.map((e) => e.id),
        deliveries,
      );
      if (events.length < FANOUT_BATCH) return;
    }
  }

  /** Completed scans become `secret_scanning_scan` deliveries to the hooks that existed when the scan completed. */
  async function fanOutScans(): Promise<void> {
    const scans = await webhooks.listUnannouncedScans(FANOUT_BATCH);
    if (scans.length === 0) return;
    const deliveries: (NewDelivery & { scanId: number })[] = [];
    const patterns = options.customPatterns
      ? await options.customPatterns.scanPatterns(
          scans.filter((s) => s.kind === "custom_pattern_backfill").map((s) => s.id),
        )
      : new Map<number, CustomPatternScanInfo>();
    for (const scan of scans) {
      const built = await buildScanPayload(
        store,
        scan,
        { urls: options.urls(), enterpriseSlug },
        patterns.get(scan.id),
      );
      if (!built) continue;
      const hooks = (await webhooks.listHooksForRepository(built.repo.id, built.org.id)).filter(
        (hook) =>
          (hook.events.includes("*") || hook.events.includes("secret_scanning_scan")) &&
          hook.createdAt <= scan.completedAt,
      );
      const guid = randomUUID();
      const json = JSON.stringify(built.payload);
      for (const hook of hooks) {
        deliveries.push({
          scanId: scan.id,
          guid,
          hookId: hook.id,
          event: "secret_scanning_scan",
          action: "completed",
          repoId: built.repo.id,
          orderKey: `scan:${built.repo.id}`,
          body: encodeBody(json, hook.contentType),
        });
      }
    }
    await webhooks.enqueueScanDeliveries(
      scans.map((s) => s.id),
      deliveries,
    );
  }

  /** What a sink message says: the payload's facts and the secret's masked form (never the secret). */
  async function toSinkEvent(
    event: string,
    repoId: number,
    fullName: string,
    payload: Record<string, unknown>,
  ): Promise<SinkEvent> {
    const alert = (payload.alert ?? {}) as Record<string, unknown>;
    const login = (value: unknown): string | null =>
      value && typeof value === "object" && typeof (value as { login?: unknown }).login === "string"
        ? (value as { login: string }).login
        : null;
    const number = typeof alert.number === "number" ? alert.number : null;
    const stored = number === null ? null : await store.getAlert(repoId, number);
    const location =
      (payload.location as { details?: { path?: string } } | undefined)?.details ??
      (alert.first_location_detected as { path?: string } | null | undefined);
    return {
      event,
      action: String(payload.action),
      repository: fullName,
      alertNumber: number,
      secretType: typeof alert.secret_type === "string" ? alert.secret_type : null,
      secretTypeDisplayName: typeof alert.secret_type_display_name === "string" ? alert.secret_type_display_name : null,
      maskedSecret: stored ? maskSecret(stored.secret) : null,
      state: typeof alert.state === "string" ? alert.state : null,
      resolution: typeof alert.resolution === "string" ? alert.resolution : null,
      bypassed: alert.push_protection_bypassed === true,
      bypassedBy: login(alert.push_protection_bypassed_by),
      sender: login(payload.sender),
      url: typeof alert.html_url === "string" ? alert.html_url : null,
      path: location?.path ?? null,
    };
  }

  async function attempt(delivery: Delivery): Promise<void> {
    const hook = await webhooks.getHook(delivery.hookId);
    if (!hook) return;
    const retryAt = (n: number): string | null => {
      const at = clock().getTime() + backoff(n);
      const giveUpAt = delivery.giveUpAt ? Date.parse(delivery.giveUpAt) : Date.parse(delivery.createdAt) + retryForMs;
      return at <= giveUpAt ? new Date(at).toISOString() : null;
    };
    const attemptNumber = delivery.attempts + 1;
    // If this process dies during the attempt, the delivery is due again after the timeout and a backoff.
    await webhooks.beginAttempt(
      delivery.id,
      new Date(clock().getTime() + timeoutMs + backoff(attemptNumber)).toISOString(),
    );
    const headers = await requestHeaders(hook, delivery);
    if (!hook.active) {
      await webhooks.finishAttempt(delivery.id, {
        ok: false,
        statusCode: null,
        statusText: "not sent: the hook is inactive",
        duration: 0,
        requestHeaders: redacted(headers),
        responseHeaders: null,
        responseBody: null,
        retryAt: null,
      });
      return;
    }
    const result =
      hook.kind === "webhook"
        ? await postWebhook(hook.url, delivery.body, headers, {
            timeoutMs,
            allowPrivate: options.allowPrivate ?? false,
            insecureSsl: hook.insecureSsl,
            signal: controller.signal,
          })
        : await sendToSink(hook, delivery, headers);
    if (controller.signal.aborted) return; // stopping: the delivery stays due, counted, for the next start
    const ok = result.error === null;
    const next = ok ? null : retryAt(attemptNumber);
    await webhooks.finishAttempt(delivery.id, {
      ok,
      statusCode: result.statusCode,
      statusText: ok ? "OK" : result.error!,
      duration: Math.round(result.durationMs) / 1000,
      requestHeaders: redacted(headers),
      responseHeaders: result.headers,
      responseBody: result.body,
      retryAt: next,
    });
    options.onAttempt?.({ kind: hook.kind, ok, retry: next !== null, durationMs: result.durationMs });
    if (!ok)
      options.log?.warn(
        { hook: hook.id, delivery: delivery.guid, attempt: attemptNumber, error: result.error, retry: next !== null },
        "webhook delivery failed",
      );
  }

  /** A notification sink: HTTP (Slack and Teams URLs are their credentials, kept in the secret) or email. */
  async function sendToSink(
    hook: Hook,
    delivery: Delivery,
    headers: Record<string, string>,
  ): Promise<PostWebhookResult> {
    const secret = hook.hasSecret ? await webhooks.getHookSecret(hook.id) : null;
    if (hook.kind === "email") {
      const started = performance.now();
      const sent = await sendSinkEmail(hook, secret, JSON.parse(delivery.body) as SinkEvent, {
        allowPrivate: options.allowPrivate ?? false,
        timeoutMs,
      });
      return {
        statusCode: null,
        headers: null,
        body: sent.response,
        error: sent.ok ? null : sent.statusText,
        durationMs: performance.now() - started,
      };
    }
    const target = (hook.kind === "slack" || hook.kind === "teams") && secret ? secret : hook.url;
    return postWebhook(target, delivery.body, headers, {
      timeoutMs,
      allowPrivate: options.allowPrivate ?? false,
      insecureSsl: hook.insecureSsl,
      signal: controller.signal,
    });
  }

  async function requestHeaders(hook: Hook, delivery: Delivery): Promise<Record<string, string>> {
    if (hook.kind !== "webhook")
      return sinkHeaders(
        hook,
        hook.kind === "splunk" || hook.kind === "json" ? await webhooks.getHookSecret(hook.id) : null,
      );
    const headers: Record<string, string> = {
      Accept: "*/*",
      "Content-Type": hook.contentType === "form" ? "application/x-www-form-urlencoded" : "application/json",
      "User-Agent": USER_AGENT,
      "X-GitHub-Delivery": delivery.guid,
      "X-GitHub-Event": delivery.event,
      "X-GitHub-Hook-ID": String(hook.id),
      "X-GitHub-Hook-Installation-Target-Type": hook.scope === "instance" ? "business" : hook.scope,
      "X-GitHub-Hook-Installation-Target-ID": String(
        hook.scope === "repository" ? hook.repoId : hook.scope === "organization" ? hook.orgId : 1,
      ),
    };
    const secret = hook.hasSecret ? await webhooks.getHookSecret(hook.id) : null;
    if (secret) {
      headers["X-Hub-Signature"] = `sha1=${createHmac("sha1", secret).update(delivery.body, "utf8").digest("hex")}`;
      headers["X-Hub-Signature-256"] =
        `sha256=${createHmac("sha256", secret).update(delivery.body, "utf8").digest("hex")}`;
    }
    return headers;
  }

  async function pass(): Promise<void> {
    // The outbox is read on the timer and when poked; a finished attempt only sends what is due next.
    if (fanOutWanted) {
      fanOutWanted = false;
      await fanOut();
      await fanOutScans();
    }
    const free = concurrency - inFlight.size;
    if (free <= 0) return;
    const due = await webhooks.listDueDeliveries(clock().toISOString(), free, [...inFlight.keys()]);
    for (const delivery of due) {
      const running = attempt(delivery)
        .catch((error: unknown) =>
          options.log?.warn(
            { delivery: delivery.guid, err: error instanceof Error ? error.message : String(error) },
            "webhook attempt could not be recorded",
          ),
        )
        .finally(() => {
          inFlight.delete(delivery.id);
          if (!closed) void runPass();
        });
      inFlight.set(delivery.id, running);
    }
  }

  /** Runs a pass unless one runs; a request during a pass runs another after it. */
  function runPass(): Promise<void> {
    if (passing) {
      again = true;
      return passing;
    }
    passing = pass()
      .catch((error: unknown) =>
        options.log?.warn(
          { err: error instanceof Error ? error.message : String(error) },
          "webhook dispatch pass failed",
        ),
      )
      .finally(() => {
        passing = null;
        if (again && !closed) {
          again = false;
          void runPass();
        }
      });
    return passing;
  }

  const dispatcher: WebhookDispatcher = {
    start() {
      if (timer || closed) return;
      timer = setInterval(() => {
        fanOutWanted = true;
        void runPass();
      }, pollMs);
      timer.unref();
      void runPass();
    },
    poke() {
      fanOutWanted = true;
      if (!closed) void runPass();
    },
    async runOnce() {
      fanOutWanted = true;
      await runPass();
      // A pass that was running may have started before this call: run one more that reads the outbox.
      await runPass();
      await Promise.all(inFlight.values());
    },
    async drain(signal, maxMs = 60_000) {
      const end = clock().getTime() + maxMs;
      await fanOut();
      await fanOutScans();
      let sent = 0;
      while (!signal?.aborted && !closed && clock().getTime() < end) {
        const due = await webhooks.listDueDeliveries(clock().toISOString(), concurrency, []);
        if (due.length === 0) break;
        // Attempts record their own outcome; an error here (the store) fails the job.
        await Promise.all(due.map((delivery) => attempt(delivery)));
        sent += due.length;
      }
      return sent;
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      controller.abort();
      await passing;
      await Promise.all(inFlight.values());
    },
  };
  return dispatcher;
}

/** The body as sent: JSON, or GitHub's form encoding (one `payload` field holding the JSON). */
export function encodeBody(json: string, contentType: "json" | "form"): string {
  return contentType === "form" ? `payload=${encodeURIComponent(json)}` : json;
}

/** Headers as the delivery log keeps them: a sink's credential (Splunk, bearer) never reaches the log. */
function redacted(headers: Record<string, string>): Record<string, string> {
  return headers.Authorization ? { ...headers, Authorization: "********" } : headers;
}
