/**
 * The webhooks aggregate: hooks (per repository, per organization, for the whole instance) and
 * their delivery log, which is also the delivery queue. `store/` implements it over SQLite and
 * PostgreSQL; the dispatcher, the API and the CLI use only this interface.
 */

export type HookScope = "repository" | "organization" | "instance";
export type HookContentType = "json" | "form";

/** The events a hook may subscribe to; `*` is every event. */
export const HOOK_EVENTS = [
  "secret_scanning_alert",
  "secret_scanning_alert_location",
  "secret_scanning_scan",
  "*",
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export interface HookLastResponse {
  /** The last attempt's HTTP status, or null before any attempt and when no response came. */
  code: number | null;
  /** GitHub's values: `unused` before the first delivery, `active` after a 2xx, else the failure (`failed`). */
  status: string;
  /** What went wrong, in one line (`timed out after 10 s`, `HTTP 500`, `refused: resolves to a private address`). */
  message: string | null;
}

/** `webhook`: GitHub's webhook. The others are notification sinks: a message in the receiving service's format. */
export const HOOK_KINDS = ["webhook", "slack", "teams", "json", "splunk", "email"] as const;
export type HookKind = (typeof HOOK_KINDS)[number];

/** A sink's filters (all optional: absent means everything) and, for email, where it goes. */
export interface SinkSettings {
  /** `secret_scanning_alert.created`, `secret_scanning_alert` (every action), `secret_scanning_alert_location.created`, … */
  events?: string[];
  secretTypes?: string[];
  /** `owner/name`. */
  repositories?: string[];
  /** Only alerts created by a push-protection bypass. */
  bypassOnly?: boolean;
  /** Email: recipients and sender. */
  to?: string[];
  from?: string;
  /** Set on sinks the server's config file manages: their name there. */
  configName?: string;
}

export interface Hook {
  id: number;
  kind: HookKind;
  settings: SinkSettings | null;
  scope: HookScope;
  repoId: number | null;
  orgId: number | null;
  url: string;
  contentType: HookContentType;
  /** Whether a secret is set; the secret itself is read only by the dispatcher (`getHookSecret`). */
  hasSecret: boolean;
  insecureSsl: boolean;
  events: HookEvent[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
  lastResponse: HookLastResponse;
}

export interface HookInput {
  /** Default `webhook`. */
  kind?: HookKind;
  settings?: SinkSettings | null;
  url: string;
  contentType: HookContentType;
  /** Stored encrypted; null for none. */
  secret: string | null;
  insecureSsl: boolean;
  events: HookEvent[];
  active: boolean;
}

export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface Delivery {
  id: number;
  /** `X-GitHub-Delivery`: fixed when the event is fanned out, the same for every hook, retry and redelivery of it. */
  guid: string;
  hookId: number;
  /** The outbox event it came from (null for pings and redeliveries). */
  eventId: number | null;
  event: string;
  action: string | null;
  repoId: number | null;
  /** Deliveries of one hook with the same key go out in order (`alert:<id>`, `ping:<hook id>`). */
  orderKey: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  /** After this time a failing delivery is no longer retried; null: the dispatcher's retry window from `createdAt`. */
  giveUpAt: string | null;
  redelivery: boolean;
  createdAt: string;
  deliveredAt: string | null;
  /** Seconds the last attempt took. */
  duration: number | null;
  statusCode: number | null;
  /** GitHub's `status`: `OK`, or what went wrong. */
  statusText: string | null;
  /** The exact body sent (JSON text, or `payload=` form text), the same for every attempt. */
  body: string;
  requestHeaders: Record<string, string> | null;
  responseHeaders: Record<string, string> | null;
  /** The response body, truncated. */
  responseBody: string | null;
}

export type NewDelivery = Pick<Delivery, "guid" | "hookId" | "event" | "action" | "repoId" | "orderKey" | "body"> & {
  eventId?: number | null;
  redelivery?: boolean;
  giveUpAt?: string | null;
};

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  statusText: string;
  duration: number;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  /** When not ok: the next attempt's time, or null to give up (the delivery is `failed`). */
  retryAt: string | null;
}

export interface CompletedScan {
  id: number;
  repoId: number;
  kind: string;
  type: string;
  startedAt: string | null;
  completedAt: string;
}

export interface WebhookStore {
  createHook(input: HookInput & { scope: HookScope; repoId?: number | null; orgId?: number | null }): Promise<Hook>;
  getHook(id: number): Promise<Hook | null>;
  /** The hook's secret in plain text (the dispatcher signs with it); null when none is set. */
  getHookSecret(id: number): Promise<string | null>;
  /** Webhooks by default; `kind: "sinks"` lists notification sinks. */
  listHooks(filter: {
    scope: HookScope;
    repoId?: number;
    orgId?: number;
    kind?: "webhooks" | "sinks";
  }): Promise<Hook[]>;
  /** Active hooks that receive a repository's events: the repository's, its organization's and the instance's. */
  listHooksForRepository(repoId: number, orgId: number): Promise<Hook[]>;
  updateHook(id: number, patch: Partial<HookInput>): Promise<Hook>;
  /** Removes the hook and its delivery log; false when it did not exist. */
  deleteHook(id: number): Promise<boolean>;

  /**
   * Fans outbox events out: inserts their deliveries and marks the events delivered, in one
   * transaction. A delivery of an (event, hook) that exists already is not inserted again.
   */
  enqueueEventDeliveries(eventIds: number[], deliveries: NewDelivery[]): Promise<void>;
  /** Completed scans (not incremental ones) not yet fanned out as `secret_scanning_scan` events, oldest first. */
  listUnannouncedScans(limit: number): Promise<CompletedScan[]>;
  /** Inserts the scans' deliveries and marks them announced, in one transaction. */
  enqueueScanDeliveries(scanIds: number[], deliveries: (NewDelivery & { scanId: number })[]): Promise<void>;
  /** Pings and redeliveries. */
  createDelivery(delivery: NewDelivery): Promise<Delivery>;
  /**
   * Pending deliveries due at `now`, oldest first, at most one per hook and order key (the first
   * one: later ones wait for it), skipping the ids in `exclude` (in flight).
   */
  listDueDeliveries(now: string, limit: number, exclude: readonly number[]): Promise<Delivery[]>;
  /**
   * Counts an attempt before it is made, and moves the next attempt to `retryAt`: a process that
   * dies during the attempt leaves the delivery to be retried then, with the same GUID.
   */
  beginAttempt(id: number, retryAt: string): Promise<void>;
  /** Records the attempt's outcome on the delivery and on its hook's `last_response`. */
  finishAttempt(id: number, result: AttemptResult): Promise<Delivery>;
  getDelivery(hookId: number, id: number): Promise<Delivery | null>;
  /** Newest first. */
  listDeliveries(hookId: number, page: { perPage: number; beforeId?: number }): Promise<Delivery[]>;
  /** Deliveries by status, for the CLI and tests. */
  countDeliveries(status?: DeliveryStatus): Promise<number>;
}
