import { createHash } from "node:crypto";
import { maskSecret } from "vigil-secrets-engine";
import type { AlertStore } from "../alerts/alert-store.js";
import type { Alert, CommitLocationDetails, Organization, Repository } from "../alerts/types.js";
import type { Campaign, CampaignStore, OutreachRecord } from "./campaign-store.js";
import { loadCampaignAlerts } from "./campaign-data.js";
import type { Maintainer, MaintainerLookup } from "./find-maintainers.js";
import { ForgeError, type IssueTracker } from "./forge-issues.js";
import { builtinPlaybook } from "./playbooks.js";

export interface OutreachDeps {
  store: AlertStore;
  campaigns: CampaignStore;
  maintainers: MaintainerLookup;
  /** The organization's issue tracker (from its forge connection); null: no forge is connected. */
  tracker: IssueTracker | null;
  /** Origin of Vigil's pages, for links to each alert. */
  webUrl: string;
  log?: { warn(fields: Record<string, unknown>, message: string): void };
  signal?: AbortSignal;
}

export type OutreachOutcome = "created" | "updated" | "closed" | "unchanged" | "skipped" | "failed";

export interface OutreachResult {
  repositories: { repository: string; outcome: OutreachOutcome; issue_number: number | null; url: string | null; error?: string }[];
  created: number;
  updated: number;
  closed: number;
  unchanged: number;
  failed: number;
}

/** The label every issue of a campaign carries: how a re-run finds an issue it created but could not record. */
export function campaignLabel(campaign: Campaign): string {
  return `vigil-campaign-${campaign.id}`;
}

/**
 * One issue per affected repository (never one per alert), listing its alerts masked, with the
 * maintainers to contact, the playbook of each secret type and a link to each alert. Idempotent: the
 * issue's number is stored, so a re-run updates that issue (only when its text changed) and closes it
 * once the repository has no open alert in the campaign; it never creates a second one. A plain async
 * function, so that a job runner can run it as one job.
 */
export async function runOutreach(deps: OutreachDeps, org: Organization, campaign: Campaign): Promise<OutreachResult> {
  const { store, campaigns, tracker } = deps;
  const result: OutreachResult = { repositories: [], created: 0, updated: 0, closed: 0, unchanged: 0, failed: 0 };
  if (!tracker) return result;
  const loaded = await loadCampaignAlerts(store, campaigns, campaign);
  const playbooks = new Map<string, string>();
  const playbookOf = async (secretType: string): Promise<string> => {
    let text = playbooks.get(secretType);
    if (text === undefined) {
      text = (await campaigns.getPlaybook(org.id, secretType))?.body ?? builtinPlaybook(secretType);
      playbooks.set(secretType, text);
    }
    return text;
  };
  const namespace = (await campaigns.getForgeConnection(org.id))?.namespace ?? null;

  for (const { repo, alerts } of [...loaded.byRepo.values()].sort((a, b) => a.repo.fullName.localeCompare(b.repo.fullName))) {
    deps.signal?.throwIfAborted();
    const target = namespace ? `${namespace}/${repo.name}` : repo.fullName;
    const existing = await campaigns.getOutreach(campaign.id, repo.id, "issue");
    const open = alerts.filter((a) => a.state === "open");
    try {
      const maintainers = await deps.maintainers.forAlerts(repo, alerts);
      const body = await issueBody({ campaign, repo, alerts, maintainers, webUrl: deps.webUrl, playbookOf });
      const title = issueTitle(campaign, open.length);
      const bodyHash = createHash("sha256").update(title).update("\0").update(body).digest("hex");
      const wantState = open.length > 0 ? "open" : "closed";
      let record: OutreachRecord | null = existing;
      if (!record) {
        // A crash between creating and recording leaves an issue with the campaign's label: adopt it.
        const found = await tracker.findIssue(target, campaignLabel(campaign));
        if (!found && wantState === "closed") {
          result.repositories.push({ repository: repo.fullName, outcome: "skipped", issue_number: null, url: null });
          continue;
        }
        const issue = found ?? (await tracker.createIssue(target, { title, body, labels: ["secret-scanning", campaignLabel(campaign)] }));
        record = await campaigns.saveOutreach({
          campaignId: campaign.id,
          repoId: repo.id,
          channel: "issue",
          issueNumber: issue.number,
          url: issue.url,
          bodyHash: found ? "" : bodyHash,
          state: issue.state,
        });
        if (!found) {
          result.created++;
          result.repositories.push({ repository: repo.fullName, outcome: "created", issue_number: issue.number, url: issue.url });
          continue;
        }
      }
      if (record.bodyHash === bodyHash && record.state === wantState) {
        result.unchanged++;
        result.repositories.push({ repository: repo.fullName, outcome: "unchanged", issue_number: record.issueNumber, url: record.url });
        continue;
      }
      const issue = await tracker.updateIssue(target, record.issueNumber!, {
        title,
        body,
        ...(record.state !== wantState ? { state: wantState } : {}),
      });
      await campaigns.saveOutreach({ ...record, url: issue.url || record.url, bodyHash, state: wantState });
      const outcome: OutreachOutcome = wantState === "closed" && record.state !== "closed" ? "closed" : "updated";
      result[outcome]++;
      result.repositories.push({ repository: repo.fullName, outcome, issue_number: record.issueNumber, url: issue.url || record.url });
    } catch (error) {
      if (!(error instanceof ForgeError)) throw error;
      result.failed++;
      deps.log?.warn({ campaign: campaign.id, repo: repo.fullName, err: error.message }, "campaign outreach failed for a repository");
      result.repositories.push({ repository: repo.fullName, outcome: "failed", issue_number: existing?.issueNumber ?? null, url: existing?.url ?? null, error: error.message });
    }
  }
  return result;
}

function issueTitle(campaign: Campaign, open: number): string {
  return open > 0
    ? `Secret scanning: ${open} leaked secret${open === 1 ? "" : "s"} to revoke (${campaign.name})`
    : `Secret scanning: all leaked secrets remediated (${campaign.name})`;
}

async function issueBody(input: {
  campaign: Campaign;
  repo: Repository;
  alerts: Alert[];
  maintainers: Maintainer[];
  webUrl: string;
  playbookOf: (secretType: string) => Promise<string>;
}): Promise<string> {
  const { campaign, repo, alerts, maintainers, webUrl } = input;
  const web = webUrl.replace(/\/+$/, "");
  const open = alerts.filter((a) => a.state === "open").length;
  const lines: string[] = [];
  lines.push(
    `The security team's remediation campaign **${escapeMd(campaign.name)}** found ${alerts.length} leaked secret${alerts.length === 1 ? "" : "s"} in \`${repo.fullName}\`; ${open} ${open === 1 ? "is" : "are"} still open.`,
  );
  if (campaign.endsAt) lines.push("", `Please revoke them by **${campaign.endsAt.slice(0, 10)}**.`);
  if (campaign.description) lines.push("", escapeMd(campaign.description));
  lines.push("", "### Who should act", "");
  const label: Record<string, string> = {
    codeowners: "CODEOWNERS",
    recent_committer: "recent committer of the file",
    repository_admin: "repository admin",
    introduced_secret: "committed the secret",
  };
  for (const m of maintainers) lines.push(`- ${/^@[\w.-]+(?:\/[\w.-]+)?$/.test(m.name) ? m.name : escapeMd(m.name)} (${m.sources.map((s) => label[s]).join(", ")})`);
  if (maintainers.length === 0) lines.push("- nobody could be found: the repository's admins, please");
  lines.push("", "### Alerts", "", "| Alert | Secret type | Secret | Where | State |", "| --- | --- | --- | --- | --- |");
  for (const alert of [...alerts].sort((a, b) => a.number - b.number)) {
    const details = alert.firstLocation?.type === "commit" ? (alert.firstLocation.details as CommitLocationDetails) : null;
    const where = details ? `\`${escapeMd(details.path)}:${details.startLine}\` (${details.commitSha.slice(0, 7)})` : alert.firstLocation?.type ?? "";
    const state = alert.state === "open" ? "open" : `closed (${alert.resolution?.replace(/_/g, " ") ?? "resolved"})`;
    lines.push(
      `| [#${alert.number}](${web}/${repo.fullName}/security/secret-scanning/${alert.number}) | ${escapeMd(alert.secretTypeDisplayName)} | \`${maskSecret(alert.secret).replace(/`/g, "")}\` | ${where} | ${state} |`,
    );
  }
  const types = [...new Set(alerts.filter((a) => a.state === "open").map((a) => a.secretType))].sort();
  if (types.length > 0) lines.push("", "### How to remediate");
  for (const type of types) lines.push("", `#### ${type}`, "", await input.playbookOf(type));
  lines.push("", "---", `This issue is updated by Vigil as alerts close, and closed when none is left. <!-- vigil-campaign:${campaign.id} repo:${repo.id} -->`);
  return lines.join("\n");
}

/** Markdown's table and emphasis characters in user-controlled text, escaped. */
function escapeMd(text: string): string {
  return text.replace(/[|\\*_`<>[\]]/g, (c) => `\\${c}`);
}
