import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import type { Organization, Validity } from "../../alerts/types.js";
import type { Campaign } from "../../campaigns/campaign-store.js";
import type { OpenedStore } from "../../store/index.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";

interface CreateOptions extends StoreCommandOptions {
  name: string;
  description?: string;
  secretType?: string;
  repo?: string;
  validity?: string;
  minAgeDays?: string;
  manager?: string;
  endsAt?: string;
}

const VALIDITIES: readonly Validity[] = ["active", "inactive", "unknown"];

/**
 * `vigil campaign`: remediation campaigns from the command line, against the store like `vigil repo
 * add` (the REST API under `/orgs/{org}/secret-scanning/campaigns` does the same for scripts).
 */
export function registerCampaignCommand(program: Command): void {
  const campaign = program
    .command("campaign")
    .description("Remediation campaigns: select open alerts, contact each repository's maintainers, follow progress");

  addStoreOptions(
    campaign
      .command("create")
      .description("Create a campaign over the organization's open alerts that match the filters")
      .argument("<org>", "the organization")
      .requiredOption("--name <name>", "the campaign's name (unique in the organization)")
      .option("--description <text>", "why, and what to do")
      .option("--secret-type <list>", "comma-separated secret types (default: every provider type)")
      .option("--repo <list>", "comma-separated repository names (default: all)")
      .option("--validity <list>", "comma-separated: active, inactive, unknown")
      .option("--min-age-days <n>", "only alerts at least this old")
      .option("--manager <login>", "the campaign's manager (an owner or security manager)")
      .option("--ends-at <date>", "due date, YYYY-MM-DD"),
  ).action(async (orgLogin: string, options: CreateOptions) => {
    const list = (raw: string | undefined): string[] | undefined => raw?.split(",").map((v) => v.trim()).filter(Boolean);
    const validities = list(options.validity);
    const bad = validities?.find((v) => !(VALIDITIES as readonly string[]).includes(v));
    if (bad !== undefined) throw new VigilError("ERR_CLI_USAGE", `--validity: "${bad}" is not one of ${VALIDITIES.join(", ")}`);
    let minAgeDays: number | undefined;
    if (options.minAgeDays !== undefined) {
      minAgeDays = Number(options.minAgeDays);
      if (!Number.isInteger(minAgeDays) || minAgeDays < 0) throw new VigilError("ERR_CLI_USAGE", "--min-age-days: a whole number of days");
    }
    let endsAt: string | null = null;
    if (options.endsAt !== undefined) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(options.endsAt) || Number.isNaN(Date.parse(`${options.endsAt}T23:59:59Z`)))
        throw new VigilError("ERR_CLI_USAGE", "--ends-at: a date as YYYY-MM-DD");
      endsAt = new Date(`${options.endsAt}T23:59:59Z`).toISOString();
    }
    await withStore(options, async (opened) => {
      const { startCampaign } = await import("../../campaigns/campaign-data.js");
      const org = await orgOf(opened, orgLogin);
      let ownerId: number | null = null;
      if (options.manager !== undefined) {
        const user = await opened.store.getUserByLogin(options.manager);
        if (!user) throw new VigilError("ERR_CLI_USAGE", `--manager: no user '${options.manager}'`);
        ownerId = user.id;
      }
      const types = list(options.secretType);
      const repositories = list(options.repo);
      try {
        const { campaign: created, alertCount } = await startCampaign(opened.store, opened.campaigns, org, {
          name: options.name,
          description: options.description ?? null,
          ownerId,
          endsAt,
          filters: {
            ...(types ? { secretTypes: types } : {}),
            ...(repositories ? { repositories } : {}),
            ...(validities ? { validities: validities as Validity[] } : {}),
            ...(minAgeDays ? { minAgeDays } : {}),
          },
          createdBy: null,
        });
        process.stdout.write(`campaign ${created.id} "${created.name}": ${alertCount} open alert${alertCount === 1 ? "" : "s"}\n`);
      } catch (error) {
        if ((error as Error).name === "StoreConflictError") throw new VigilError("ERR_CLI_USAGE", (error as Error).message);
        throw error;
      }
    });
  });

  addStoreOptions(campaign.command("list").description("The organization's campaigns: number, state, open/total, due, name").argument("<org>", "the organization")).action(
    async (orgLogin: string, options: StoreCommandOptions) => {
      await withStore(options, async (opened) => {
        const { loadCampaignAlerts } = await import("../../campaigns/campaign-data.js");
        const org = await orgOf(opened, orgLogin);
        for (const c of await opened.campaigns.listCampaigns(org.id)) {
          const { alerts } = await loadCampaignAlerts(opened.store, opened.campaigns, c);
          const open = alerts.filter((a) => a.state === "open").length;
          process.stdout.write(`${c.id}\t${c.state}\t${open}/${alerts.length} open\t${c.endsAt?.slice(0, 10) ?? "-"}\t${c.name}\n`);
        }
      });
    },
  );

  addStoreOptions(
    campaign
      .command("show")
      .description("A campaign's progress: open vs closed, per repository, mean time to remediate, committers, issues")
      .argument("<org>", "the organization")
      .argument("<number>", "the campaign's number")
      .option("--json", "as JSON"),
  ).action(async (orgLogin: string, raw: string, options: StoreCommandOptions & { json?: boolean }) => {
    await withStore(options, async (opened) => {
      const { campaignProgress, loadCampaignAlerts } = await import("../../campaigns/campaign-data.js");
      const org = await orgOf(opened, orgLogin);
      const c = await campaignOf(opened, org, raw);
      const p = campaignProgress(c, await loadCampaignAlerts(opened.store, opened.campaigns, c));
      const outreach = await opened.campaigns.listOutreach(c.id);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ campaign: c, progress: p, outreach }, null, 2)}\n`);
        return;
      }
      const out = [
        `${c.name} (campaign ${c.id}, ${c.state}${c.endsAt ? `, due ${c.endsAt.slice(0, 10)}` : ""})`,
        `alerts: ${p.total}, open ${p.open}, closed ${p.closed} (revoked ${p.revoked})`,
        `mean time to remediate: ${p.meanTimeToRemediateSeconds === null ? "-" : formatDuration(p.meanTimeToRemediateSeconds)}`,
        "",
        "repository\topen\tclosed\tissue",
      ];
      const repos = new Map((await opened.store.listRepositories({ orgId: org.id })).map((r) => [r.fullName, r.id]));
      for (const r of p.repositories) {
        const issue = outreach.find((o) => o.repoId === repos.get(r.repository) && o.channel === "issue");
        out.push(`${r.repository}\t${r.open}\t${r.closed}\t${issue?.url ?? "-"}${issue ? ` (${issue.state})` : ""}`);
      }
      out.push("", "committer\talerts\trepositories");
      for (const x of p.committers) out.push(`${x.committer}\t${x.alerts}${x.alerts > 1 ? " (repeat)" : ""}\t${x.repositories.join(", ")}`);
      process.stdout.write(`${out.join("\n")}\n`);
    });
  });

  addStoreOptions(
    campaign
      .command("outreach")
      .description("One issue per affected repository on the organization's forge (updated or closed on re-runs), and one message per repository through its notification sinks")
      .argument("<org>", "the organization")
      .argument("<number>", "the campaign's number")
      .option("--public-url <url>", "Vigil's address for the links to each alert (default VIGIL_PUBLIC_URL)")
      .option("--allow-private-webhooks", "send to notification sinks on loopback or private addresses, as vigil serve does with it"),
  ).action(async (orgLogin: string, raw: string, options: StoreCommandOptions & { publicUrl?: string; allowPrivateWebhooks?: boolean }) => {
    const webUrl = options.publicUrl ?? process.env.VIGIL_PUBLIC_URL;
    if (!webUrl) throw new VigilError("ERR_CLI_USAGE", "--public-url (or VIGIL_PUBLIC_URL) is needed for the links to each alert");
    await withStore(options, async (opened) => {
      const { NoOutreachChannelError, runCampaignOutreach } = await import("../../campaigns/campaign-outreach.js");
      const { createMaintainerLookup } = await import("../../campaigns/find-maintainers.js");
      const org = await orgOf(opened, orgLogin);
      const c = await campaignOf(opened, org, raw);
      let result: Awaited<ReturnType<typeof runCampaignOutreach>>;
      try {
        result = await runCampaignOutreach(
          {
            store: opened.store,
            campaigns: opened.campaigns,
            webhooks: opened.webhooks,
            maintainers: createMaintainerLookup({ listAdmins: (repo) => opened.campaigns.listRepositoryAdmins(repo.id) }),
            webUrl,
            allowPrivateSinks: options.allowPrivateWebhooks === true,
          },
          org,
          c,
        );
      } catch (error) {
        if (error instanceof NoOutreachChannelError) throw new VigilError("ERR_CLI_USAGE", `${org.login}: ${error.message} (docs/campaigns.md)`);
        throw error;
      }
      for (const r of result.repositories) process.stdout.write(`${r.repository}\tissue\t${r.outcome}\t${r.url ?? "-"}${r.error ? `\t${r.error}` : ""}\n`);
      for (const m of result.messages) process.stdout.write(`${m.repository}\t${m.kind} sink ${m.sink_id}\t${m.outcome}${m.error ? `\t${m.error}` : ""}\n`);
      process.stdout.write(`created ${result.created}, updated ${result.updated}, closed ${result.closed}, unchanged ${result.unchanged}, failed ${result.failed}; messages sent ${result.messages.filter((m) => m.outcome === "sent").length}\n`);
      if (result.failed > 0 || result.messages.some((m) => m.outcome === "failed")) process.exitCode = 1;
    });
  });

  addStoreOptions(
    campaign
      .command("export")
      .description("The campaign's open alerts: organization, repository, secret type, secret value (masked), maintainers")
      .argument("<org>", "the organization")
      .argument("<number>", "the campaign's number")
      .option("--format <format>", "csv or json", "csv")
      .option("--reveal", "the secret values in full (handle the file as a secret)")
      .option("--output <file>", "write to this file (mode 0600) instead of standard output"),
  ).action(async (orgLogin: string, raw: string, options: StoreCommandOptions & { format: string; reveal?: boolean; output?: string }) => {
    if (options.format !== "csv" && options.format !== "json") throw new VigilError("ERR_CLI_USAGE", `--format: "${options.format}" is not csv or json`);
    await withStore(options, async (opened) => {
      const { formatRemediationCsv, loadCampaignAlerts, remediationRows } = await import("../../campaigns/campaign-data.js");
      const { createMaintainerLookup } = await import("../../campaigns/find-maintainers.js");
      const org = await orgOf(opened, orgLogin);
      const c = await campaignOf(opened, org, raw);
      const loaded = await loadCampaignAlerts(opened.store, opened.campaigns, c);
      const groups = [...loaded.byRepo.values()].map(({ repo, alerts }) => ({ repo, alerts: alerts.filter((a) => a.state === "open") }));
      const rows = await remediationRows(org, groups, createMaintainerLookup({ listAdmins: (repo) => opened.campaigns.listRepositoryAdmins(repo.id) }), options.reveal === true);
      const text = options.format === "csv" ? formatRemediationCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`;
      if (options.output) writeFileSync(options.output, text, { mode: 0o600 });
      else process.stdout.write(text);
    });
  });
}

async function withStore(options: StoreCommandOptions, work: (opened: OpenedStore) => Promise<void>): Promise<void> {
  const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
  try {
    await work(opened);
  } finally {
    await opened.close();
  }
}

async function orgOf(opened: OpenedStore, login: string): Promise<Organization> {
  const org = await opened.store.getOrganization(login);
  if (!org) throw new VigilError("ERR_CLI_USAGE", `no organization '${login}'`);
  return org;
}

async function campaignOf(opened: OpenedStore, org: Organization, raw: string): Promise<Campaign> {
  const c = /^[1-9][0-9]{0,9}$/.test(raw) ? await opened.campaigns.getCampaign(org.id, Number(raw)) : null;
  if (!c) throw new VigilError("ERR_CLI_USAGE", `no campaign ${raw} in ${org.login} (see vigil campaign list ${org.login})`);
  return c;
}

function formatDuration(seconds: number): string {
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400 * 2) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}
