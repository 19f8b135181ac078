import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { StoreConflictError, type AlertStore } from "../alerts/alert-store.js";
import type { Organization, Validity } from "../alerts/types.js";
import {
  campaignProgress,
  formatRemediationCsv,
  loadCampaignAlerts,
  remediationRows,
  selectOpenAlerts,
  startCampaign,
  type RemediationRow,
} from "../campaigns/campaign-data.js";
import type { Campaign, CampaignFilters, CampaignStore } from "../campaigns/campaign-store.js";
import { createMaintainerLookup } from "../campaigns/find-maintainers.js";
import { NoOutreachChannelError, runCampaignOutreach } from "../campaigns/campaign-outreach.js";
import type { WebhookStore } from "../webhooks/webhook-store.js";
import type { ApiEnv, ApiUrls } from "../api/api-env.js";
import { ApiError, notFound } from "../api/api-error.js";
import { requireScopes } from "../api/authenticate.js";
import { resolveManagedOrganization } from "../api/repo-access.js";
import { layout, type Html } from "./layout.js";
import { readSession, sameSecret, type SignedIn } from "./read-session.js";
import type { WebSessionStore } from "./session-store.js";

const ALERT_SCOPES = ["repo", "security_events"] as const;
const VALIDITIES: readonly Validity[] = ["active", "inactive", "unknown"];
/** Rows of the remediation view's HTML table; the CSV and JSON exports are not capped. */
const PAGE_ROWS = 1000;

/** Paths of the remediation pages (the access matrix and docs/campaigns.md name them). */
export const CAMPAIGN_PAGE_PATHS = {
  remediation: "/orgs/:org/security/remediation",
  campaigns: "/orgs/:org/security/campaigns",
  campaign: "/orgs/:org/security/campaigns/:campaign_number",
} as const;

export interface CampaignPagesOptions {
  store: AlertStore;
  sessions: WebSessionStore;
  campaigns: CampaignStore;
  publicUrl?: string;
  gitEnv?: NodeJS.ProcessEnv;
  /** The organization's notification sinks carry outreach messages too. */
  webhooks?: WebhookStore;
  allowPrivateSinks?: boolean;
}

/**
 * The security overview's remediation view (issue 15: open alerts grouped by secret type with
 * organization, repository, type and the repository's maintainers, exportable as CSV and JSON) and
 * the campaign pages: list and create, a campaign's progress, run its outreach. Same services and
 * access rules as the REST API (`api/campaign-routes.ts`): owners and security managers, the
 * token's alert scopes. Server-rendered forms, no script.
 */
export function createCampaignPages(options: CampaignPagesOptions): Hono<ApiEnv> {
  const { store, sessions, campaigns } = options;
  const pages = new Hono<ApiEnv>();
  const lookup = () => createMaintainerLookup({ listAdmins: (repo) => campaigns.listRepositoryAdmins(repo.id), ...(options.gitEnv ? { env: options.gitEnv } : {}) });
  const urlsOf = (c: Context): ApiUrls => {
    const origin = (options.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, "");
    return { web: origin, api: `${origin}/api/v3` };
  };
  const page = (who: SignedIn, title: string, body: Html): Html => layout({ title, user: { login: who.user.login, csrfToken: who.session.csrfToken } }, body);

  function signedIn(handler: (c: Context<ApiEnv>, who: SignedIn, org: Organization) => Promise<Response>) {
    return async (c: Context<ApiEnv>): Promise<Response> => {
      const who = await readSession(c, store, sessions);
      if (!who) {
        const url = new URL(c.req.url);
        return c.redirect(c.req.method === "GET" ? `/login?return_to=${encodeURIComponent(url.pathname + url.search)}` : "/login", 303);
      }
      c.set("user", who.user);
      c.set("token", who.token);
      c.set("urls", urlsOf(c));
      c.header("Cache-Control", "no-store");
      c.header("X-Frame-Options", "DENY");
      c.header("X-Content-Type-Options", "nosniff");
      c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
      try {
        if (c.req.method === "POST") {
          const form = await c.req.parseBody();
          if (!sameSecret(form._csrf, who.session.csrfToken))
            return c.html(page(who, "Form expired", html`<h1>Form expired</h1><p>The form was out of date or came from another site. Go back, reload the page and try again.</p>`), 403);
        }
        const org = await resolveManagedOrganization(store, who.user, c.req.param("org") ?? "");
        requireScopes(c, ALERT_SCOPES);
        return await handler(c, who, org);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.status === 404)
          return c.html(page(who, "Not found", html`<h1>Not found</h1><p>This page does not exist, or you do not have access to it.</p><p><a href="/security">Your security overview</a></p>`), 404);
        const status = error.status === 403 ? 403 : 422;
        return c.html(page(who, status === 403 ? "Not allowed" : "That did not work", html`<h1>${status === 403 ? "Not allowed" : "That did not work"}</h1><p class="notice error" role="alert">${error.message}</p>`), status);
      }
    };
  }

  // --- the remediation view ---------------------------------------------------------------------
  pages.get(
    CAMPAIGN_PAGE_PATHS.remediation,
    signedIn(async (c, who, org) => {
      const params = new URL(c.req.url).searchParams;
      const filters = filtersFrom(params);
      const format = params.get("format");
      const { alerts, repos } = await selectOpenAlerts(store, org, filters);
      const groups = new Map<number, { repo: NonNullable<ReturnType<typeof repos.get>>; alerts: typeof alerts }>();
      for (const alert of alerts) {
        const repo = repos.get(alert.repoId);
        if (!repo) continue;
        const entry = groups.get(repo.id) ?? { repo, alerts: [] };
        entry.alerts.push(alert);
        groups.set(repo.id, entry);
      }
      // The page only ever shows and exports masked values; the API's `reveal=true` is the way to the secrets.
      // The HTML table stops at PAGE_ROWS (maintainers are read from git per file); the exports have every row.
      const shown = format === "csv" || format === "json" ? groups.values() : capped(groups.values(), PAGE_ROWS);
      const rows = await remediationRows(org, shown, lookup(), false);
      if (format === "csv") {
        c.header("Content-Type", "text/csv; charset=utf-8");
        c.header("Content-Disposition", `attachment; filename="${org.login}-remediation.csv"`);
        return c.body(formatRemediationCsv(rows));
      }
      if (format === "json") return c.json(rows);
      const byType = new Map<string, RemediationRow[]>();
      for (const row of rows) byType.set(row.secret_type, [...(byType.get(row.secret_type) ?? []), row]);
      const exportLink = (f: string): string => {
        const next = new URLSearchParams(params);
        next.set("format", f);
        return `${new URL(c.req.url).pathname}?${next.toString()}`;
      };
      return c.html(
        page(
          who,
          `Remediation · ${org.login}`,
          html`<h1>Remediation · ${org.login}</h1>
            <p>Open alerts by secret type, with whom to contact in each repository (CODEOWNERS, else the file's recent committers, else the repository's admins, and always who committed the secret).</p>
            ${filterForm(`/orgs/${org.login}/security/remediation`, filters, [...repos.values()].map((r) => r.name))}
            <p>Export: <a href="${exportLink("csv")}" download>CSV</a> · <a href="${exportLink("json")}">JSON</a> · <a href="/orgs/${org.login}/security/campaigns">Campaigns</a></p>
            ${rows.length === 0 ? html`<p class="muted">No open alert matches these filters.</p>` : ""}
            ${alerts.length > rows.length ? html`<p class="notice" role="status">Showing ${rows.length} of ${alerts.length} open alerts: narrow the filters, or export them all.</p>` : ""}
            ${[...byType.entries()].map(
              ([type, list]) => html`<section class="box" aria-labelledby="type-${type}">
                <h2 id="type-${type}">${type} <span class="muted">(${list.length})</span></h2>
                <table>
                  <thead><tr><th scope="col">Organization</th><th scope="col">Repository</th><th scope="col">Secret type</th><th scope="col">Secret value</th><th scope="col">Maintainers to contact</th></tr></thead>
                  <tbody>
                    ${list.map(
                      (r) => html`<tr><td>${r.organization}</td><td><a href="/${r.repository}/security/secret-scanning">${r.repository}</a></td><td>${r.secret_type}</td><td><code>${r.secret_value}</code></td><td>${r.maintainers.join(", ")}</td></tr>`,
                    )}
                  </tbody>
                </table>
              </section>`,
            )}`,
        ),
      );
    }),
  );

  // --- campaigns --------------------------------------------------------------------------------
  pages.get(
    CAMPAIGN_PAGE_PATHS.campaigns,
    signedIn(async (c, who, org) => campaignList(c, who, org, null, 200)),
  );

  pages.post(
    CAMPAIGN_PAGE_PATHS.campaigns,
    signedIn(async (c, who, org) => {
      const form = await c.req.parseBody();
      const name = typeof form.name === "string" ? form.name.trim() : "";
      if (name === "" || name.length > 200) return campaignList(c, who, org, "Give the campaign a name (up to 200 characters).", 422);
      const endsRaw = typeof form.ends_at === "string" ? form.ends_at.trim() : "";
      if (endsRaw !== "" && (!/^\d{4}-\d{2}-\d{2}$/.test(endsRaw) || Number.isNaN(Date.parse(`${endsRaw}T23:59:59Z`))))
        return campaignList(c, who, org, "The due date must be a date (YYYY-MM-DD).", 422);
      const params = new URLSearchParams();
      for (const key of ["secret_type", "repository", "validity"]) if (typeof form[key] === "string") params.set(key, form[key]);
      let filters: CampaignFilters;
      try {
        filters = filtersFrom(params);
      } catch (error) {
        if (error instanceof ApiError) return campaignList(c, who, org, error.message, 422);
        throw error;
      }
      try {
        const { campaign } = await startCampaign(store, campaigns, org, {
          name,
          description: typeof form.description === "string" && form.description.trim() !== "" ? form.description.trim().slice(0, 2000) : null,
          ownerId: who.user.id,
          endsAt: endsRaw ? new Date(`${endsRaw}T23:59:59Z`).toISOString() : null,
          filters,
          createdBy: who.user.id,
        });
        return c.redirect(`/orgs/${org.login}/security/campaigns/${campaign.id}`, 303);
      } catch (error) {
        if (error instanceof StoreConflictError) return campaignList(c, who, org, error.message, 422);
        throw error;
      }
    }),
  );

  async function campaignList(c: Context<ApiEnv>, who: SignedIn, org: Organization, problem: string | null, status: 200 | 422): Promise<Response> {
    const list = await campaigns.listCampaigns(org.id);
    const rows = await Promise.all(
      list.map(async (x) => {
        const p = campaignProgress(x, await loadCampaignAlerts(store, campaigns, x));
        return html`<tr>
          <td><a href="/orgs/${org.login}/security/campaigns/${x.id}">${x.name}</a></td>
          <td>${x.state}</td>
          <td><progress max="${Math.max(1, p.total)}" value="${p.closed}" aria-label="${p.closed} of ${p.total} closed"></progress> ${p.closed}/${p.total} closed</td>
          <td>${x.endsAt ? x.endsAt.slice(0, 10) : html`<span class="muted">—</span>`}</td>
        </tr>`;
      }),
    );
    return c.html(
      page(
        who,
        `Campaigns · ${org.login}`,
        html`<h1>Remediation campaigns · ${org.login}</h1>
          ${problem ? html`<p class="notice error" role="alert">${problem}</p>` : ""}
          <table>
            <caption>${list.length === 0 ? "No campaign yet." : `${list.length} campaign${list.length === 1 ? "" : "s"}`}</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">State</th><th scope="col">Progress</th><th scope="col">Due</th></tr></thead>
            <tbody>${rows}</tbody>
          </table>
          <section class="box" aria-labelledby="new-campaign">
            <h2 id="new-campaign">New campaign</h2>
            <p class="muted">Selects the organization's open alerts that match now, as the <a href="/orgs/${org.login}/security/remediation">remediation view</a> lists them.</p>
            <form method="post" action="/orgs/${org.login}/security/campaigns">
              <input type="hidden" name="_csrf" value="${who.session.csrfToken}" />
              <p><label>Name<input name="name" required maxlength="200" size="40" /></label></p>
              <p><label>Description<textarea name="description" rows="2" maxlength="2000"></textarea></label></p>
              <p><label>Secret types (comma-separated; empty: every provider type)<input name="secret_type" size="60" /></label></p>
              <p><label>Repositories (comma-separated names; empty: all)<input name="repository" size="60" /></label></p>
              <p><label>Validity<select name="validity"><option value="">any</option>${VALIDITIES.map((v) => html`<option value="${v}">${v}</option>`)}</select></label></p>
              <p><label>Due date<input name="ends_at" type="date" /></label></p>
              <p><button class="primary" type="submit">Create campaign</button></p>
            </form>
          </section>`,
      ),
      status,
    );
  }

  pages.get(
    CAMPAIGN_PAGE_PATHS.campaign,
    signedIn(async (c, who, org) => campaignPage(c, who, org, await campaignOf(c, org), null)),
  );

  pages.post(
    CAMPAIGN_PAGE_PATHS.campaign,
    signedIn(async (c, who, org) => {
      const campaign = await campaignOf(c, org);
      const form = await c.req.parseBody();
      if (form.action === "close" || form.action === "reopen") {
        await campaigns.updateCampaign(campaign.id, { state: form.action === "close" ? "closed" : "open" });
        return c.redirect(`/orgs/${org.login}/security/campaigns/${campaign.id}`, 303);
      }
      if (form.action !== "outreach") throw new ApiError(422, "Choose an action: outreach, close or reopen");
      let result: Awaited<ReturnType<typeof runCampaignOutreach>>;
      try {
        result = await runCampaignOutreach(
          {
            store,
            campaigns,
            maintainers: lookup(),
            webUrl: urlsOf(c).web,
            ...(options.webhooks ? { webhooks: options.webhooks } : {}),
            allowPrivateSinks: options.allowPrivateSinks === true,
          },
          org,
          campaign,
        );
      } catch (error) {
        if (error instanceof NoOutreachChannelError) return campaignPage(c, who, org, campaign, error.message);
        throw error;
      }
      const failures = [...result.repositories.filter((r) => r.error).map((r) => `${r.repository}: ${r.error}`), ...result.messages.filter((m) => m.error).map((m) => `${m.repository} (${m.kind}): ${m.error}`)];
      const sent = result.messages.filter((m) => m.outcome === "sent").length;
      const summary = `Outreach: ${result.created} created, ${result.updated} updated, ${result.closed} closed, ${result.unchanged} unchanged${sent ? `; ${sent} message${sent === 1 ? "" : "s"} sent` : ""}${failures.length ? `; failed: ${failures.join("; ")}` : ""}.`;
      return campaignPage(c, who, org, campaign, summary);
    }),
  );

  async function campaignOf(c: Context<ApiEnv>, org: Organization): Promise<Campaign> {
    const raw = c.req.param("campaign_number") ?? "";
    const campaign = /^[1-9][0-9]{0,9}$/.test(raw) ? await campaigns.getCampaign(org.id, Number(raw)) : null;
    if (!campaign) throw notFound();
    return campaign;
  }

  async function campaignPage(c: Context<ApiEnv>, who: SignedIn, org: Organization, campaign: Campaign, notice: string | null): Promise<Response> {
    const p = campaignProgress(campaign, await loadCampaignAlerts(store, campaigns, campaign));
    const outreach = await campaigns.listOutreach(campaign.id);
    const repoIds = new Map((await store.listRepositories({ orgId: org.id })).map((r) => [r.fullName, r.id]));
    const action = (name: string, label: string, primary = false): Html =>
      html`<form method="post" action="/orgs/${org.login}/security/campaigns/${campaign.id}" style="display:inline">
        <input type="hidden" name="_csrf" value="${who.session.csrfToken}" /><input type="hidden" name="action" value="${name}" /><button type="submit" class="${primary ? "primary" : ""}">${label}</button>
      </form>`;
    const mttr = p.meanTimeToRemediateSeconds === null ? "—" : `${(p.meanTimeToRemediateSeconds / 86400).toFixed(1)} days`;
    return c.html(
      page(
        who,
        `${campaign.name} · ${org.login}`,
        html`<h1>${campaign.name}</h1>
          ${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
          ${campaign.description ? html`<p>${campaign.description}</p>` : ""}
          <dl class="facts">
            <dt>State</dt><dd>${campaign.state}</dd>
            <dt>Due</dt><dd>${campaign.endsAt ? campaign.endsAt.slice(0, 10) : "—"}</dd>
            <dt>Progress</dt><dd><progress max="${Math.max(1, p.total)}" value="${p.closed}" aria-label="${p.closed} of ${p.total} closed"></progress> ${p.closed} of ${p.total} closed (${p.revoked} revoked), ${p.open} open</dd>
            <dt>Mean time to remediate</dt><dd>${mttr}</dd>
          </dl>
          <p>${action("outreach", "Open or update issues", true)} ${campaign.state === "open" ? action("close", "Close campaign") : action("reopen", "Reopen campaign")}
            · Export <a href="/api/v3/orgs/${org.login}/secret-scanning/campaigns/${campaign.id}/export?format=csv">CSV</a> (API)</p>
          <h2>Repositories</h2>
          <table>
            <thead><tr><th scope="col">Repository</th><th scope="col">Open</th><th scope="col">Closed</th><th scope="col">Issue</th></tr></thead>
            <tbody>
              ${p.repositories.map((r) => {
                const issue = outreach.find((o) => o.channel === "issue" && o.repoId === repoIds.get(r.repository));
                return html`<tr><td><a href="/${r.repository}/security/secret-scanning">${r.repository}</a></td><td>${r.open}</td><td>${r.closed}</td><td>${issue?.url ? html`<a href="${issue.url}">#${issue.issueNumber}</a> (${issue.state})` : html`<span class="muted">none yet</span>`}</td></tr>`;
              })}
            </tbody>
          </table>
          <h2>Open and closed over time</h2>
          <table>
            <thead><tr><th scope="col">Day</th><th scope="col">Open</th><th scope="col">Closed</th></tr></thead>
            <tbody>${p.overTime.slice(-30).map((d) => html`<tr><td>${d.date}</td><td>${d.open}</td><td>${d.closed}</td></tr>`)}</tbody>
          </table>
          <h2>Committers</h2>
          <p class="muted">Who committed these secrets: more than one is a candidate for the education step.</p>
          <table>
            <thead><tr><th scope="col">Committer</th><th scope="col">Alerts</th><th scope="col">Repositories</th></tr></thead>
            <tbody>${p.committers.map((x) => html`<tr><td>${x.committer}</td><td>${x.alerts}${x.alerts > 1 ? html` <span class="label resolved">repeat</span>` : ""}</td><td>${x.repositories.join(", ")}</td></tr>`)}</tbody>
          </table>`,
      ),
    );
  }

  return pages;
}

function capped<T extends { alerts: unknown[] }>(groups: Iterable<T>, limit: number): T[] {
  const out: T[] = [];
  let left = limit;
  for (const group of groups) {
    if (left <= 0) break;
    out.push({ ...group, alerts: group.alerts.slice(0, left) });
    left -= Math.min(left, group.alerts.length);
  }
  return out;
}

function filtersFrom(params: URLSearchParams): CampaignFilters {
  const list = (name: string): string[] | undefined => {
    const values = (params.get(name) ?? "").split(",").map((v) => v.trim()).filter(Boolean);
    return values.length > 0 ? values.slice(0, 200) : undefined;
  };
  const filters: CampaignFilters = {};
  const types = list("secret_type");
  if (types) {
    const bad = types.find((t) => !/^[a-z0-9_]{1,100}$/.test(t));
    if (bad !== undefined) throw new ApiError(422, `"${bad.slice(0, 100)}" is not a secret type`);
    filters.secretTypes = types;
  }
  const repositories = list("repository");
  if (repositories) filters.repositories = repositories;
  const validity = list("validity");
  if (validity) {
    const bad = validity.find((v) => !(VALIDITIES as readonly string[]).includes(v));
    if (bad !== undefined) throw new ApiError(422, `Validity "${bad.slice(0, 20)}" is not one of ${VALIDITIES.join(", ")}`);
    filters.validities = validity as Validity[];
  }
  return filters;
}

function filterForm(action: string, filters: CampaignFilters, repositories: string[]): Html {
  return html`<form class="filters" method="get" action="${action}" role="search" aria-label="Filter alerts">
    <label>Secret types<input name="secret_type" value="${(filters.secretTypes ?? []).join(",")}" placeholder="all provider types" size="30" /></label>
    <label>Repository<select name="repository"><option value="">all</option>${repositories.map((r) => html`<option value="${r}" ${filters.repositories?.includes(r) ? "selected" : ""}>${r}</option>`)}</select></label>
    <label>Validity<select name="validity"><option value="">any</option>${VALIDITIES.map((v) => html`<option value="${v}" ${filters.validities?.includes(v) ? "selected" : ""}>${v}</option>`)}</select></label>
    <button type="submit">Filter</button>
  </form>`;
}
