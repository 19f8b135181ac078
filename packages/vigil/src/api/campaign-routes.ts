import type { Context, Hono } from "hono";
import { StoreConflictError, type AlertStore } from "../alerts/alert-store.js";
import type { Organization, Validity } from "../alerts/types.js";
import { remediateAlert } from "../campaigns/auto-remediate.js";
import {
  campaignProgress,
  formatRemediationCsv,
  loadCampaignAlerts,
  remediationRows,
  selectOpenAlerts,
  startCampaign,
} from "../campaigns/campaign-data.js";
import type { Campaign, CampaignFilters, CampaignStore } from "../campaigns/campaign-store.js";
import { createMaintainerLookup } from "../campaigns/find-maintainers.js";
import { builtinPlaybook } from "../campaigns/playbooks.js";
import type { Revoker } from "../campaigns/revokers.js";
import { NoOutreachChannelError, runCampaignOutreach } from "../campaigns/campaign-outreach.js";
import type { WebhookStore } from "../webhooks/webhook-store.js";
import { checkHookUrl } from "../webhooks/post-webhook.js";
import { formatSimpleUser } from "./alert-json.js";
import type { ApiEnv } from "./api-env.js";
import { ApiError, notFound } from "./api-error.js";
import { readJsonObject, requireScopes } from "./authenticate.js";
import { resolveAlertRepository, resolveManagedOrganization } from "./repo-access.js";

const ALERT_SCOPES = ["repo", "security_events"] as const;
const OWNER_SCOPES = ["admin:org"] as const;
const VALIDITIES: readonly Validity[] = ["active", "inactive", "unknown"];
const SECRET_TYPE = /^[a-z0-9_]{1,100}$/;
const MAX_PLAYBOOK = 20_000;

export interface CampaignRoutesOptions {
  store: AlertStore;
  campaigns: CampaignStore;
  /** Revocation actions by secret type (`createRevokers`). */
  revokers: Map<string, Revoker>;
  /** The environment git runs with when reading CODEOWNERS and history from mirrors. */
  gitEnv?: NodeJS.ProcessEnv;
  /** Forge calls (tests inject nothing: real sockets to local fakes). */
  fetch?: typeof fetch;
  log?: { warn(fields: Record<string, unknown>, message: string): void };
  /** The organization's notification sinks carry outreach messages too (absent: issues only). */
  webhooks?: WebhookStore;
  sinkDelivery?: { allowPrivate?: boolean; timeoutMs?: number };
}

/**
 * Remediation campaigns, playbooks, the remediation list, the forge connection and auto-remediation:
 * Vigil's extension of GitHub's API (GitHub's own campaigns are for code scanning; the field names
 * follow them where they overlap: `name`, `description`, `managers`, `ends_at`, `state`,
 * `alert_stats`). Organization owners and security managers; the forge connection and which types
 * are revoked automatically, owners only.
 */
export function mountCampaignRoutes(app: Hono<ApiEnv>, options: CampaignRoutesOptions): void {
  const { store, campaigns } = options;
  const base = "/orgs/:org/secret-scanning";
  const lookup = () => createMaintainerLookup({ listAdmins: (repo) => campaigns.listRepositoryAdmins(repo.id), ...(options.gitEnv ? { env: options.gitEnv } : {}) });

  async function managed(c: Context<ApiEnv>): Promise<Organization> {
    const org = await resolveManagedOrganization(store, c.get("user"), c.req.param("org") ?? "");
    requireScopes(c, ALERT_SCOPES);
    return org;
  }
  async function owned(c: Context<ApiEnv>): Promise<Organization> {
    const user = c.get("user");
    const org = await store.getOrganization(c.req.param("org") ?? "");
    if (!org) throw notFound();
    if (!user.siteAdmin && (await store.getOrgRole(user.id, org.id)) !== "owner") throw notFound();
    requireScopes(c, OWNER_SCOPES);
    return org;
  }
  async function campaignOf(c: Context<ApiEnv>, org: Organization): Promise<Campaign> {
    const raw = c.req.param("campaign_number") ?? "";
    if (!/^[1-9][0-9]{0,9}$/.test(raw)) throw notFound();
    const campaign = await campaigns.getCampaign(org.id, Number(raw));
    if (!campaign) throw notFound();
    return campaign;
  }
  async function formatCampaign(c: Context<ApiEnv>, org: Organization, campaign: Campaign): Promise<Record<string, unknown>> {
    const loaded = await loadCampaignAlerts(store, campaigns, campaign);
    const open = loaded.alerts.filter((a) => a.state === "open").length;
    const owner = campaign.ownerId === null ? null : await store.getUserById(campaign.ownerId);
    const urls = c.get("urls");
    return {
      number: campaign.id,
      name: campaign.name,
      description: campaign.description,
      managers: owner ? [formatSimpleUser(owner, urls)] : [],
      ends_at: campaign.endsAt,
      state: campaign.state,
      closed_at: campaign.state === "closed" ? campaign.updatedAt : null,
      created_at: campaign.createdAt,
      updated_at: campaign.updatedAt,
      filters: formatFilters(campaign.filters),
      alert_stats: { open_count: open, closed_count: loaded.alerts.length - open, total_count: loaded.alerts.length },
      url: `${urls.api}/orgs/${org.login}/secret-scanning/campaigns/${campaign.id}`,
    };
  }
  async function managerId(body: Record<string, unknown>, org: Organization): Promise<number | null | undefined> {
    if (!("managers" in body)) return undefined;
    const managers = body.managers;
    if (!Array.isArray(managers) || managers.length > 1 || managers.some((m) => typeof m !== "string"))
      throw invalid("managers", "must be an array of at most one login");
    if (managers.length === 0) return null;
    const user = await store.getUserByLogin(managers[0] as string);
    const role = user ? await store.getOrgRole(user.id, org.id) : null;
    if (!user || (!user.siteAdmin && role !== "owner" && role !== "security_manager"))
      throw invalid("managers", "must be an owner or security manager of the organization");
    return user.id;
  }

  // --- campaigns ------------------------------------------------------------------------------
  app.get(`${base}/campaigns`, async (c) => {
    const org = await managed(c);
    const list = await campaigns.listCampaigns(org.id);
    const state = c.req.query("state");
    const shown = state === "open" || state === "closed" ? list.filter((x) => x.state === state) : list;
    return c.json(await Promise.all(shown.map((x) => formatCampaign(c, org, x))));
  });

  app.post(`${base}/campaigns`, async (c) => {
    const org = await managed(c);
    const body = await readJsonObject(c);
    const name = body.name;
    if (typeof name !== "string" || name.trim() === "" || name.length > 200) throw invalid("name", "is required: 1 to 200 characters");
    const description = optionalText(body, "description", 2000);
    const endsAt = parseEndsAt(body.ends_at);
    const filters = parseFilters(body);
    const ownerId = (await managerId(body, org)) ?? c.get("user").id;
    try {
      const { campaign } = await startCampaign(store, campaigns, org, {
        name: name.trim(),
        description: description ?? null,
        ownerId,
        endsAt: endsAt ?? null,
        filters,
        createdBy: c.get("user").id,
      });
      return c.json(await formatCampaign(c, org, campaign), 201);
    } catch (error) {
      if (error instanceof StoreConflictError) throw new ApiError(422, `Validation Failed: ${error.message}`, [{ resource: "Campaign", field: "name", code: "already_exists" }]);
      throw error;
    }
  });

  app.get(`${base}/campaigns/:campaign_number`, async (c) => {
    const org = await managed(c);
    return c.json(await formatCampaign(c, org, await campaignOf(c, org)));
  });

  app.patch(`${base}/campaigns/:campaign_number`, async (c) => {
    const org = await managed(c);
    const campaign = await campaignOf(c, org);
    const body = await readJsonObject(c);
    const patch: Parameters<CampaignStore["updateCampaign"]>[1] = {};
    if ("name" in body) {
      if (typeof body.name !== "string" || body.name.trim() === "" || body.name.length > 200) throw invalid("name", "must be 1 to 200 characters");
      patch.name = body.name.trim();
    }
    const description = optionalText(body, "description", 2000);
    if (description !== undefined) patch.description = description;
    if ("ends_at" in body) patch.endsAt = parseEndsAt(body.ends_at) ?? null;
    if ("state" in body) {
      if (body.state !== "open" && body.state !== "closed") throw invalid("state", "must be open or closed");
      patch.state = body.state;
    }
    const ownerId = await managerId(body, org);
    if (ownerId !== undefined) patch.ownerId = ownerId;
    try {
      return c.json(await formatCampaign(c, org, await campaigns.updateCampaign(campaign.id, patch)));
    } catch (error) {
      if (error instanceof StoreConflictError) throw new ApiError(422, `Validation Failed: ${error.message}`, [{ resource: "Campaign", field: "name", code: "already_exists" }]);
      throw error;
    }
  });

  app.delete(`${base}/campaigns/:campaign_number`, async (c) => {
    const org = await managed(c);
    const campaign = await campaignOf(c, org);
    await campaigns.deleteCampaign(campaign.id);
    return c.body(null, 204);
  });

  app.get(`${base}/campaigns/:campaign_number/progress`, async (c) => {
    const org = await managed(c);
    const campaign = await campaignOf(c, org);
    const p = campaignProgress(campaign, await loadCampaignAlerts(store, campaigns, campaign));
    const outreach = new Map((await campaigns.listOutreach(campaign.id)).filter((o) => o.channel === "issue").map((o) => [o.repoId, o]));
    const repoIds = new Map((await store.listRepositories({ orgId: org.id })).map((r) => [r.fullName, r.id]));
    return c.json({
      total_count: p.total,
      open_count: p.open,
      closed_count: p.closed,
      revoked_count: p.revoked,
      mean_time_to_remediate_seconds: p.meanTimeToRemediateSeconds,
      over_time: p.overTime,
      repositories: p.repositories.map((r) => {
        const issue = outreach.get(repoIds.get(r.repository) ?? 0);
        return { repository: r.repository, total_count: r.total, open_count: r.open, closed_count: r.closed, issue_url: issue?.url ?? null, issue_state: issue?.state ?? null };
      }),
      committers: p.committers.map((x) => ({ committer: x.committer, alert_count: x.alerts, repositories: x.repositories, repeat_offender: x.alerts > 1 })),
    });
  });

  app.get(`${base}/campaigns/:campaign_number/export`, async (c) => {
    const org = await managed(c);
    const campaign = await campaignOf(c, org);
    const { format, reveal } = exportOptions(c);
    const loaded = await loadCampaignAlerts(store, campaigns, campaign);
    // The export lists what is left to do: open alerts.
    const groups = [...loaded.byRepo.values()].map(({ repo, alerts }) => ({ repo, alerts: alerts.filter((a) => a.state === "open") }));
    if (reveal) options.log?.warn({ user: c.get("user").login, org: org.login, campaign: campaign.id }, "campaign exported with secrets revealed");
    return sendRows(c, format, await remediationRows(org, groups, lookup(), reveal), `campaign-${campaign.id}`);
  });

  app.post(`${base}/campaigns/:campaign_number/outreach`, async (c) => {
    const org = await managed(c);
    const campaign = await campaignOf(c, org);
    try {
      return c.json(
        await runCampaignOutreach(
          {
            store,
            campaigns,
            maintainers: lookup(),
            webUrl: c.get("urls").web,
            ...(options.webhooks ? { webhooks: options.webhooks } : {}),
            allowPrivateSinks: options.sinkDelivery?.allowPrivate === true,
            ...(options.sinkDelivery?.timeoutMs ? { sinkTimeoutMs: options.sinkDelivery.timeoutMs } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
            ...(options.log ? { log: options.log } : {}),
          },
          org,
          campaign,
        ),
      );
    } catch (error) {
      if (error instanceof NoOutreachChannelError) throw new ApiError(422, error.message, [{ resource: "Campaign", field: "forge_connection", code: "missing" }]);
      throw error;
    }
  });

  app.get(`${base}/campaigns/:campaign_number/outreach`, async (c) => {
    const org = await managed(c);
    const campaign = await campaignOf(c, org);
    const repos = new Map((await store.listRepositories({ orgId: org.id })).map((r) => [r.id, r.fullName]));
    return c.json(
      (await campaigns.listOutreach(campaign.id)).map((o) => ({
        repository: repos.get(o.repoId) ?? null,
        channel: o.channel,
        issue_number: o.issueNumber,
        url: o.url,
        state: o.state,
        created_at: o.createdAt,
        updated_at: o.updatedAt,
      })),
    );
  });

  app.post(`${base}/campaigns/:campaign_number/remediate`, async (c) => {
    const org = await managed(c);
    const campaign = await campaignOf(c, org);
    const loaded = await loadCampaignAlerts(store, campaigns, campaign);
    const results: Record<string, unknown>[] = [];
    for (const { repo, alerts } of loaded.byRepo.values()) {
      for (const alert of alerts.filter((a) => a.state === "open")) {
        const r = await remediateAlert({ store, campaigns, revokers: options.revokers }, org.id, alert, c.get("user").id);
        results.push({ repository: repo.fullName, alert_number: alert.number, secret_type: alert.secretType, outcome: r.outcome, detail: r.detail });
      }
    }
    return c.json({ revoked_count: results.filter((r) => r.outcome === "revoked").length, results });
  });

  // --- playbooks --------------------------------------------------------------------------------
  app.get(`${base}/playbooks/:secret_type`, async (c) => {
    const org = await managed(c);
    const type = secretTypeParam(c);
    const custom = await campaigns.getPlaybook(org.id, type);
    return c.json({ secret_type: type, body: custom?.body ?? builtinPlaybook(type), custom: custom !== null, updated_at: custom?.updatedAt ?? null });
  });

  app.put(`${base}/playbooks/:secret_type`, async (c) => {
    const org = await managed(c);
    const type = secretTypeParam(c);
    const body = await readJsonObject(c);
    if (typeof body.body !== "string" || body.body.trim() === "" || body.body.length > MAX_PLAYBOOK)
      throw invalid("body", `is required: Markdown of 1 to ${MAX_PLAYBOOK} characters`, "Playbook");
    await campaigns.setPlaybook(org.id, type, body.body, c.get("user").id);
    const saved = (await campaigns.getPlaybook(org.id, type))!;
    return c.json({ secret_type: type, body: saved.body, custom: true, updated_at: saved.updatedAt });
  });

  app.delete(`${base}/playbooks/:secret_type`, async (c) => {
    const org = await managed(c);
    await campaigns.setPlaybook(org.id, secretTypeParam(c), null, c.get("user").id);
    return c.body(null, 204);
  });

  // --- the remediation list (security overview's remediation view) ------------------------------
  app.get(`${base}/remediation`, async (c) => {
    const org = await managed(c);
    const { format, reveal } = exportOptions(c);
    const filters = parseFilters(Object.fromEntries(new URL(c.req.url).searchParams));
    const { alerts, repos } = await selectOpenAlerts(store, org, filters);
    const groups = new Map<number, { repo: (typeof repos extends Map<number, infer R> ? R : never); alerts: typeof alerts }>();
    for (const alert of alerts) {
      const repo = repos.get(alert.repoId);
      if (!repo) continue;
      const entry = groups.get(repo.id) ?? { repo, alerts: [] };
      entry.alerts.push(alert);
      groups.set(repo.id, entry);
    }
    if (reveal) options.log?.warn({ user: c.get("user").login, org: org.login }, "remediation list exported with secrets revealed");
    return sendRows(c, format, await remediationRows(org, groups.values(), lookup(), reveal), `${org.login}-remediation`);
  });

  // --- the forge connection (owners) ------------------------------------------------------------
  app.get(`${base}/forge-connection`, async (c) => {
    const org = await owned(c);
    const connection = await campaigns.getForgeConnection(org.id);
    if (!connection) throw notFound();
    return c.json(formatConnection(connection));
  });

  app.put(`${base}/forge-connection`, async (c) => {
    const org = await owned(c);
    const body = await readJsonObject(c);
    const kind = body.kind ?? "github";
    if (kind !== "github" && kind !== "gitlab") throw invalid("kind", "must be github (GitHub, GitHub Enterprise Server, Gitea) or gitlab", "ForgeConnection");
    const apiUrl = body.api_url;
    const problem = typeof apiUrl === "string" ? checkHookUrl(apiUrl) : "is required";
    if (problem) throw invalid("api_url", problem.replace(/^url /, ""), "ForgeConnection");
    const token = body.token;
    if (typeof token !== "string" || token.trim() === "" || token.length > 1000 || /\s/.test(token)) throw invalid("token", "is required: the forge token, without spaces", "ForgeConnection");
    const namespace = body.namespace ?? null;
    if (namespace !== null && (typeof namespace !== "string" || !/^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/.test(namespace)))
      throw invalid("namespace", "must be an owner or group path, or null", "ForgeConnection");
    const saved = await campaigns.setForgeConnection(org.id, { kind, apiUrl: apiUrl as string, token, namespace }, c.get("user").id);
    return c.json(formatConnection(saved));
  });

  app.delete(`${base}/forge-connection`, async (c) => {
    const org = await owned(c);
    if (!(await campaigns.deleteForgeConnection(org.id))) throw notFound();
    return c.body(null, 204);
  });

  // --- auto-remediation -------------------------------------------------------------------------
  app.get(`${base}/auto-remediation`, async (c) => {
    const org = await managed(c);
    const settings = new Map((await campaigns.listAutoRemediation(org.id)).map((s) => [s.secretType, s]));
    const types = [...new Set([...options.revokers.keys(), ...settings.keys()])].sort();
    return c.json(
      types.map((type) => ({
        secret_type: type,
        issuer: options.revokers.get(type)?.issuer ?? null,
        enabled: settings.get(type)?.enabled ?? false,
        updated_at: settings.get(type)?.updatedAt ?? null,
      })),
    );
  });

  app.put(`${base}/auto-remediation/:secret_type`, async (c) => {
    const org = await owned(c);
    const type = secretTypeParam(c);
    const body = await readJsonObject(c);
    if (typeof body.enabled !== "boolean") throw invalid("enabled", "must be true or false", "AutoRemediation");
    const revoker = options.revokers.get(type);
    if (body.enabled && !revoker) throw invalid("secret_type", `Vigil has no revocation action for ${type}`, "AutoRemediation");
    await campaigns.setAutoRemediation(org.id, type, body.enabled, c.get("user").id);
    return c.json({ secret_type: type, issuer: revoker?.issuer ?? null, enabled: body.enabled });
  });

  app.post("/repos/:owner/:repo/secret-scanning/alerts/:number/remediate", async (c) => {
    const { repo, org } = await resolveAlertRepository(store, c.get("user"), c.req.param("owner"), c.req.param("repo"));
    requireScopes(c, ALERT_SCOPES);
    const raw = c.req.param("number");
    if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw notFound();
    const alert = await store.getAlert(repo.id, Number(raw));
    if (!alert) throw notFound();
    const result = await remediateAlert({ store, campaigns, revokers: options.revokers }, org.id, alert, c.get("user").id);
    if (result.outcome === "not_enabled" || result.outcome === "no_action" || result.outcome === "not_open")
      throw new ApiError(422, result.detail, [{ resource: "SecretScanningAlert", field: "secret_type", code: "unprocessable" }]);
    return c.json({ outcome: result.outcome, detail: result.detail, state: result.alert.state, resolution: result.alert.resolution }, result.outcome === "revoked" ? 200 : 502);
  });
}

function formatConnection(connection: { kind: string; apiUrl: string; namespace: string | null; updatedAt: string }): Record<string, unknown> {
  // The token is write-only: never returned.
  return { kind: connection.kind, api_url: connection.apiUrl, namespace: connection.namespace, token_set: true, updated_at: connection.updatedAt };
}

function formatFilters(f: CampaignFilters): Record<string, unknown> {
  return { secret_types: f.secretTypes ?? [], repositories: f.repositories ?? [], validity: f.validities ?? [], min_age_days: f.minAgeDays ?? null };
}

function invalid(field: string, problem: string, resource = "Campaign"): ApiError {
  return new ApiError(422, `Invalid ${field}: ${problem}`, [{ resource, field, code: "invalid" }]);
}

function optionalText(body: Record<string, unknown>, field: string, max: number): string | null | undefined {
  if (!(field in body)) return undefined;
  const value = body[field];
  if (value === null) return null;
  if (typeof value !== "string" || value.length > max) throw invalid(field, `must be a string of at most ${max} characters, or null`);
  return value;
}

function parseEndsAt(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const parsed = typeof value === "string" && /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value.length === 10 ? `${value}T23:59:59Z` : value) : NaN;
  if (Number.isNaN(parsed)) throw invalid("ends_at", "must be an ISO 8601 date (2026-12-31) or time (2026-12-31T17:00:00Z)");
  return new Date(parsed).toISOString();
}

/** The alert list's filters, from a JSON body or query parameters: `secret_type`, `repositories`, `validity` (lists or comma-separated), `min_age_days`. */
function parseFilters(input: Record<string, unknown>): CampaignFilters {
  const list = (field: string): string[] | undefined => {
    const raw = input[field];
    if (raw === undefined || raw === null || raw === "") return undefined;
    const values = typeof raw === "string" ? raw.split(",") : Array.isArray(raw) && raw.every((v) => typeof v === "string") ? (raw) : null;
    if (!values) throw invalid(field, "must be a list of strings or a comma-separated string");
    const trimmed = values.map((v) => v.trim()).filter(Boolean);
    if (trimmed.length > 200) throw invalid(field, "names at most 200 values");
    return trimmed.length > 0 ? trimmed : undefined;
  };
  const filters: CampaignFilters = {};
  const types = list("secret_type") ?? list("secret_types");
  if (types) {
    const bad = types.find((t) => !SECRET_TYPE.test(t));
    if (bad !== undefined) throw invalid("secret_type", `"${bad.slice(0, 100)}" is not a secret type`);
    filters.secretTypes = types;
  }
  const repositories = list("repositories") ?? list("repository");
  if (repositories) filters.repositories = repositories;
  const validity = list("validity");
  if (validity) {
    const bad = validity.find((v) => !(VALIDITIES as readonly string[]).includes(v));
    if (bad !== undefined) throw invalid("validity", `"${bad.slice(0, 20)}" is not one of ${VALIDITIES.join(", ")}`);
    filters.validities = validity as Validity[];
  }
  const age = input.min_age_days;
  if (age !== undefined && age !== null && age !== "") {
    const n = typeof age === "number" ? age : Number(age);
    if (!Number.isInteger(n) || n < 0 || n > 36500) throw invalid("min_age_days", "must be a whole number of days from 0 to 36500");
    if (n > 0) filters.minAgeDays = n;
  }
  return filters;
}

function secretTypeParam(c: Context<ApiEnv>): string {
  const type = c.req.param("secret_type") ?? "";
  if (!SECRET_TYPE.test(type)) throw notFound();
  return type;
}

function exportOptions(c: Context<ApiEnv>): { format: "json" | "csv"; reveal: boolean } {
  const format = c.req.query("format") ?? "json";
  if (format !== "json" && format !== "csv") throw new ApiError(422, "Invalid format: must be json or csv", [{ resource: "Export", field: "format", code: "invalid" }]);
  const reveal = c.req.query("reveal");
  if (reveal !== undefined && reveal !== "true" && reveal !== "false") throw new ApiError(422, "Invalid reveal: must be true or false", [{ resource: "Export", field: "reveal", code: "invalid" }]);
  return { format, reveal: reveal === "true" };
}

function sendRows(c: Context<ApiEnv>, format: "json" | "csv", rows: Awaited<ReturnType<typeof remediationRows>>, name: string): Response {
  c.header("Cache-Control", "no-store");
  if (format === "json") return c.json(rows);
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header("Content-Disposition", `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}.csv"`);
  return c.body(formatRemediationCsv(rows));
}
