import { maskSecret } from "vigil-secrets-engine";
import type { AlertStore } from "../alerts/alert-store.js";
import type { Alert, CommitLocationDetails, Organization, Repository } from "../alerts/types.js";
import type { Campaign, CampaignFilters, CampaignStore } from "./campaign-store.js";
import type { Maintainer, MaintainerLookup } from "./find-maintainers.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The repositories whose alerts an organization's lists show (secret scanning on for both). */
export async function organizationRepositories(store: AlertStore, org: Organization): Promise<Repository[]> {
  if (!org.secretScanningEnabled) return [];
  return (await store.listRepositories({ orgId: org.id })).filter((r) => r.secretScanningEnabled);
}

/** Every open alert of the organization the filters select, through the alert list's own query. */
export async function selectOpenAlerts(
  store: AlertStore,
  org: Organization,
  filters: CampaignFilters,
  now: Date = new Date(),
): Promise<{ alerts: Alert[]; repos: Map<number, Repository> }> {
  let repos = await organizationRepositories(store, org);
  if (filters.repositories && filters.repositories.length > 0) {
    const wanted = new Set(filters.repositories.map((r) => r.toLowerCase()));
    repos = repos.filter((r) => wanted.has(r.name.toLowerCase()) || wanted.has(r.fullName.toLowerCase()));
  }
  const byId = new Map(repos.map((r) => [r.id, r]));
  if (repos.length === 0) return { alerts: [], repos: byId };
  const cutoff = filters.minAgeDays ? now.getTime() - filters.minAgeDays * DAY_MS : null;
  const alerts: Alert[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.listAlerts({
      repoIds: repos.map((r) => r.id),
      state: "open",
      ...(filters.secretTypes && filters.secretTypes.length > 0 ? { secretTypes: filters.secretTypes } : {}),
      ...(filters.validities && filters.validities.length > 0 ? { validities: filters.validities } : {}),
      sort: "created",
      direction: "asc",
      perPage: 100,
      ...(after !== undefined ? { after } : {}),
    });
    for (const alert of page.alerts) if (cutoff === null || Date.parse(alert.createdAt) <= cutoff) alerts.push(alert);
    if (!page.hasNext || !page.endCursor) break;
    after = page.endCursor;
  }
  return { alerts, repos: byId };
}

export interface CampaignAlerts {
  /** Repositories with the campaign's alerts in each, by repository id. */
  byRepo: Map<number, { repo: Repository; alerts: Alert[] }>;
  alerts: Alert[];
}

/** The campaign's alerts as they are now (closed ones included), grouped by repository. */
export async function loadCampaignAlerts(store: AlertStore, campaigns: CampaignStore, campaign: Campaign): Promise<CampaignAlerts> {
  const refs = await campaigns.listCampaignAlerts(campaign.id);
  const byRepo = new Map<number, { repo: Repository; alerts: Alert[] }>();
  const alerts: Alert[] = [];
  for (const ref of refs) {
    let entry = byRepo.get(ref.repoId);
    if (!entry) {
      const repo = await store.getRepositoryById(ref.repoId);
      if (!repo) continue;
      entry = { repo, alerts: [] };
      byRepo.set(ref.repoId, entry);
    }
    const alert = await store.getAlert(ref.repoId, ref.alertNumber);
    if (!alert) continue;
    entry.alerts.push(alert);
    alerts.push(alert);
  }
  return { byRepo, alerts };
}

/** One row of the seed's list: "organization, repository, secret type, secret value, maintainers on repository to contact". */
export interface RemediationRow {
  organization: string;
  repository: string;
  secret_type: string;
  secret_value: string;
  maintainers: string[];
}

export const REMEDIATION_FIELDS = ["organization", "repository", "secret_type", "secret_value", "maintainers"] as const;

/** The rows for these alerts, grouped by secret type (then repository, then alert number); secrets masked unless `reveal`. */
export async function remediationRows(
  org: Organization,
  groups: Iterable<{ repo: Repository; alerts: Alert[] }>,
  maintainers: MaintainerLookup,
  reveal: boolean,
): Promise<RemediationRow[]> {
  const rows: (RemediationRow & { number: number })[] = [];
  for (const { repo, alerts } of groups) {
    for (const alert of alerts) {
      const who = await maintainers.forAlerts(repo, [alert]);
      rows.push({
        organization: org.login,
        repository: repo.fullName,
        secret_type: alert.secretType,
        secret_value: reveal ? alert.secret : maskSecret(alert.secret),
        maintainers: who.map((m) => m.name),
        number: alert.number,
      });
    }
  }
  rows.sort((a, b) => a.secret_type.localeCompare(b.secret_type) || a.repository.localeCompare(b.repository) || a.number - b.number);
  return rows.map(({ number: _number, ...row }) => row);
}

/** CSV (RFC 4180) of the rows; maintainers joined by "; ". Cells that a spreadsheet would run as a formula are quoted with a leading apostrophe. */
export function formatRemediationCsv(rows: readonly RemediationRow[]): string {
  const cell = (value: string): string => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [REMEDIATION_FIELDS.join(",")];
  for (const row of rows) {
    lines.push([row.organization, row.repository, row.secret_type, row.secret_value, row.maintainers.join("; ")].map(cell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

export interface CampaignProgress {
  total: number;
  open: number;
  closed: number;
  /** Closed as `revoked` (by a person or by auto-remediation). */
  revoked: number;
  /** Mean seconds from an alert's creation to its resolution, over the closed ones; null when none is closed. */
  meanTimeToRemediateSeconds: number | null;
  /** One point per day from the campaign's start to today: alerts still open and closed at the end of that day. */
  overTime: { date: string; open: number; closed: number }[];
  repositories: { repository: string; total: number; open: number; closed: number }[];
  /** Who committed the campaign's secrets, most first (the seed's "education" step: count > 1 is a repeat offender). */
  committers: { committer: string; alerts: number; repositories: string[] }[];
}

/** Progress of a campaign from its alerts as they are now. */
export function campaignProgress(campaign: Campaign, loaded: CampaignAlerts, now: Date = new Date()): CampaignProgress {
  const closedAt = (a: Alert): number | null => (a.state === "resolved" && a.resolvedAt ? Date.parse(a.resolvedAt) : null);
  const closed = loaded.alerts.filter((a) => a.state === "resolved");
  const durations = closed.flatMap((a) => {
    const at = closedAt(a);
    return at === null ? [] : [Math.max(0, at - Date.parse(a.createdAt)) / 1000];
  });
  const overTime: CampaignProgress["overTime"] = [];
  const start = Date.UTC(...ymd(new Date(campaign.createdAt)));
  const end = Date.UTC(...ymd(now));
  for (let day = start; day <= end && overTime.length < 3660; day += DAY_MS) {
    const endOfDay = day + DAY_MS - 1;
    const closedBy = loaded.alerts.filter((a) => {
      const at = closedAt(a);
      return at !== null && at <= endOfDay;
    }).length;
    overTime.push({ date: new Date(day).toISOString().slice(0, 10), open: loaded.alerts.length - closedBy, closed: closedBy });
  }
  const repositories = [...loaded.byRepo.values()]
    .map(({ repo, alerts }) => {
      const c = alerts.filter((a) => a.state === "resolved").length;
      return { repository: repo.fullName, total: alerts.length, open: alerts.length - c, closed: c };
    })
    .sort((a, b) => b.open - a.open || a.repository.localeCompare(b.repository));
  const committers = new Map<string, { alerts: number; repositories: Set<string> }>();
  for (const { repo, alerts } of loaded.byRepo.values()) {
    for (const alert of alerts) {
      const details = alert.firstLocation?.type === "commit" ? (alert.firstLocation.details as CommitLocationDetails) : null;
      const who = details?.authorEmail ? `${details.authorName ?? details.authorEmail} <${details.authorEmail}>` : details?.authorName;
      if (!who) continue;
      const entry = committers.get(who) ?? { alerts: 0, repositories: new Set<string>() };
      entry.alerts++;
      entry.repositories.add(repo.fullName);
      committers.set(who, entry);
    }
  }
  return {
    total: loaded.alerts.length,
    open: loaded.alerts.length - closed.length,
    closed: closed.length,
    revoked: closed.filter((a) => a.resolution === "revoked").length,
    meanTimeToRemediateSeconds: durations.length > 0 ? Math.round(durations.reduce((s, d) => s + d, 0) / durations.length) : null,
    overTime,
    repositories,
    committers: [...committers.entries()]
      .map(([committer, e]) => ({ committer, alerts: e.alerts, repositories: [...e.repositories].sort() }))
      .sort((a, b) => b.alerts - a.alerts || a.committer.localeCompare(b.committer)),
  };
}

function ymd(d: Date): [number, number, number] {
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
}

export type { Maintainer };

/** Creates a campaign over the organization's open alerts its filters select now. */
export async function startCampaign(
  store: AlertStore,
  campaigns: CampaignStore,
  org: Organization,
  input: { name: string; description: string | null; ownerId: number | null; endsAt: string | null; filters: CampaignFilters; createdBy: number | null },
  now: Date = new Date(),
): Promise<{ campaign: Campaign; alertCount: number }> {
  const { alerts } = await selectOpenAlerts(store, org, input.filters, now);
  const campaign = await campaigns.createCampaign({
    ...input,
    orgId: org.id,
    alerts: alerts.map((a) => ({ alertId: a.id, repoId: a.repoId, alertNumber: a.number })),
  });
  return { campaign, alertCount: alerts.length };
}
