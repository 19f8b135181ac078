import type { AlertStore } from "../alerts/alert-store.js";
import type { Alert, AlertEvent, AlertLocation, Organization, Repository, User } from "../alerts/types.js";
import { formatAlert, formatLocation, formatSimpleRepository, formatSimpleUser } from "../api/alert-json.js";
import type { ApiUrls } from "../api/api-env.js";
import type { CustomPatternScanInfo } from "../custom-patterns/custom-pattern-store.js";

export interface PayloadContext {
  urls: ApiUrls;
  /** The instance as GitHub's `enterprise` object. */
  enterpriseSlug: string;
}

export interface EventPayload {
  /** `X-GitHub-Event`. */
  event: "secret_scanning_alert" | "secret_scanning_alert_location";
  action: string;
  repo: Repository;
  org: Organization;
  payload: Record<string, unknown>;
}

/** The alert events GitHub sends as `secret_scanning_alert` (and `_location`) webhooks. */
const WEBHOOK_ACTIONS: ReadonlySet<string> = new Set([
  "created",
  "resolved",
  "reopened",
  "assigned",
  "unassigned",
  "validated",
  "publicly_leaked",
  "location_created",
]);

/**
 * An outbox event as GitHub's webhook payload. The alert is the REST alert (the one serializer,
 * `formatAlert`) as it was when the event was written, without the secret, plus the webhook's
 * `secret_category`; `repository`, `organization`, `enterprise` and `sender` as GitHub sends them.
 * Null when the repository is gone, and for timeline-only events (a partner's report and label, an
 * owner notified) that GitHub has no webhook action for.
 */
export async function buildEventPayload(
  store: AlertStore,
  event: AlertEvent,
  context: PayloadContext,
): Promise<EventPayload | null> {
  if (!WEBHOOK_ACTIONS.has(event.action) || event.payload.alert === undefined) return null;
  const repo = await store.getRepositoryById(event.repoId);
  const org = repo ? await store.getOrganizationById(repo.orgId) : null;
  if (!repo || !org) return null;
  const snapshot = event.payload.alert as Omit<Alert, "secret" | "secretHash">;
  const alert: Alert = { ...snapshot, secret: "", secretHash: "" };
  const extra = event.payload;
  const assigneeId = typeof extra.assigneeId === "number" ? extra.assigneeId : null;
  const users = new Map<number, User>();
  for (const id of [alert.resolvedBy, alert.assigneeId, alert.pushProtectionBypassedBy, event.actorId, assigneeId]) {
    if (id === null || users.has(id)) continue;
    const user = await store.getUserById(id);
    if (user) users.set(id, user);
  }
  const { urls } = context;
  const alertJson = formatAlert(alert, {
    repo,
    org,
    urls,
    users,
    hideSecret: true,
    withRepository: false,
    withMetadata: false,
  });
  alertJson.secret_category = alert.secretCategory;

  const location =
    event.action === "location_created"
      ? (extra.location as Pick<AlertLocation, "id" | "type" | "details"> | undefined)
      : undefined;
  const payload: Record<string, unknown> = {
    action: event.action === "location_created" ? "created" : event.action,
    alert: alertJson,
  };
  if (location)
    payload.location = formatLocation({ ...location, alertId: alert.id, createdAt: event.createdAt }, repo, urls);
  if (event.action === "assigned" || event.action === "unassigned") {
    const assignee = assigneeId === null ? undefined : users.get(assigneeId);
    payload.assignee = assignee ? formatSimpleUser(assignee, urls) : null;
  }
  payload.repository = formatSimpleRepository(repo, org, urls);
  payload.organization = formatWebhookOrganization(org, urls);
  payload.enterprise = formatEnterprise(context);
  const sender = event.actorId === null ? undefined : users.get(event.actorId);
  if (sender) payload.sender = formatSimpleUser(sender, urls);
  return {
    event: event.action === "location_created" ? "secret_scanning_alert_location" : "secret_scanning_alert",
    action: payload.action as string,
    repo,
    org,
    payload,
  };
}

/** GitHub's `organization-simple-webhooks`. */
export function formatWebhookOrganization(org: Organization, urls: ApiUrls): Record<string, unknown> {
  const url = `${urls.api}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: Buffer.from(`O_${org.id}`).toString("base64url"),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: "",
    description: null,
  };
}

/** GitHub's `enterprise-webhooks`: the instance is one enterprise. */
export function formatEnterprise(context: PayloadContext): Record<string, unknown> {
  return {
    id: 1,
    slug: context.enterpriseSlug,
    name: context.enterpriseSlug,
    node_id: Buffer.from("E_1").toString("base64url"),
    avatar_url: "",
    description: null,
    website_url: null,
    html_url: `${context.urls.web}/enterprises/${context.enterpriseSlug}`,
    created_at: null,
    updated_at: null,
  };
}

/** GitHub's scan types for `secret_scanning_scan`; incremental (push) scans are not announced. */
const SCAN_TYPES: Record<string, string> = {
  backfill: "backfill",
  generic_secrets_backfill: "backfill",
  custom_pattern_backfill: "custom-pattern-backfill",
  pattern_update: "pattern-version-backfill",
};

/**
 * A completed scan as GitHub's `secret_scanning_scan` `completed` payload; null when the repository is
 * gone. A custom pattern's scan (`pattern`) names the pattern and its level, says whether it followed
 * a publish (`custom-pattern-backfill`) or an edit (`pattern-version-backfill`), and is sent by whoever
 * published or edited it. `secret_types` lists updated built-in patterns on GitHub: "empty for normal
 * backfill scans or custom pattern updates", which are the only ones Vigil has.
 */
export async function buildScanPayload(
  store: AlertStore,
  scan: { repoId: number; kind: string; type: string; startedAt: string | null; completedAt: string },
  context: PayloadContext,
  pattern?: CustomPatternScanInfo,
): Promise<{ repo: Repository; org: Organization; payload: Record<string, unknown> } | null> {
  const repo = await store.getRepositoryById(scan.repoId);
  const org = repo ? await store.getOrganizationById(repo.orgId) : null;
  if (!repo || !org) return null;
  const iso = (value: string): string => new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
  const sender = pattern?.senderId == null ? null : await store.getUserById(pattern.senderId);
  const payload: Record<string, unknown> = {
    action: "completed",
    type: pattern?.type ?? SCAN_TYPES[scan.kind] ?? "backfill",
    source: scan.type === "git" ? "git" : scan.type,
    started_at: iso(scan.startedAt ?? scan.completedAt),
    completed_at: iso(scan.completedAt),
    secret_types: [],
    custom_pattern_name: pattern?.name ?? null,
    custom_pattern_scope: pattern?.scope ?? null,
    repository: formatSimpleRepository(repo, org, context.urls),
    organization: formatWebhookOrganization(org, context.urls),
    enterprise: formatEnterprise(context),
  };
  if (sender) payload.sender = formatSimpleUser(sender, context.urls);
  return { repo, org, payload };
}
