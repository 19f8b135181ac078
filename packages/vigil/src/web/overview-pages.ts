import type { Hono } from "hono";
import { html } from "hono/html";
import type { AlertOverview } from "../alerts/overview-store.js";
import type { ApiEnv } from "../api/api-env.js";
import { requireScopes } from "../api/authenticate.js";
import { alertRepositoriesOf, resolveManagedOrganization } from "../api/repo-access.js";
import type { Html } from "./layout.js";
import { PAGE_PATHS, type PageKit } from "./page-kit.js";
import { barChart, lineChart } from "./svg-chart.js";

/** Weeks the trend charts cover. */
export const OVERVIEW_WEEKS = 12;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The organization's security overview: open alerts over time, new and closed alerts per week,
 * mean time to remediate, top secret types, top repositories and open alerts by validity, each
 * chart with a table of the same figures. Same audience as the organization's alert list.
 */
export function mountOverviewPages(pages: Hono<ApiEnv>, kit: PageKit): void {
  const { store } = kit.options;
  pages.get(
    PAGE_PATHS.orgOverview,
    kit.signedIn(async (c, who) => {
      const org = await resolveManagedOrganization(store, who.user, c.req.param("org") ?? "");
      requireScopes(c, ["repo", "security_events"]);
      const repos = await alertRepositoriesOf(store, org);
      const names = new Map(repos.map((r) => [r.id, r.fullName]));
      const weeks = weekStarts(new Date(), OVERVIEW_WEEKS);
      const title = `Security overview · ${org.login}`;
      const nav = { org: org.login, path: new URL(c.req.url).pathname };
      if (!kit.options.overview) {
        return c.html(
          kit.page(
            who,
            title,
            html`<h1>${title}</h1>
              <p class="notice">This server has no overview store.</p>`,
            nav,
          ),
        );
      }
      const overview = await kit.options.overview.alertOverview({ repoIds: repos.map((r) => r.id), since: weeks[0]! });
      return c.html(kit.page(who, title, overviewBody(title, org.login, overview, weeks, names), nav));
    }),
  );
}

/** Monday 00:00 UTC of the last `count` weeks, oldest first (ISO strings). */
export function weekStarts(now: Date, count: number): string[] {
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  return Array.from({ length: count }, (_, i) => new Date(monday.getTime() - (count - 1 - i) * WEEK_MS).toISOString());
}

/** Per week: alerts detected, closed, and open at the week's end (from detection and closing dates as they are now). */
export function weeklyTrend(
  overview: AlertOverview,
  weeks: string[],
): { week: string; created: number; resolved: number; open: number }[] {
  let created = overview.createdBefore;
  let resolved = overview.resolvedBefore;
  return weeks.map((week, i) => {
    const end = weeks[i + 1] ?? "9999";
    const inWeek = overview.days.filter((d) => d.day >= week.slice(0, 10) && d.day < end.slice(0, 10));
    const newOnes = inWeek.reduce((n, d) => n + d.created, 0);
    const closed = inWeek.reduce((n, d) => n + d.resolved, 0);
    created += newOnes;
    resolved += closed;
    return { week: week.slice(0, 10), created: newOnes, resolved: closed, open: Math.max(0, created - resolved) };
  });
}

function overviewBody(title: string, org: string, o: AlertOverview, weeks: string[], names: Map<number, string>): Html {
  const trend = weeklyTrend(o, weeks);
  const labels = trend.map((t) => t.week);
  const alerts = (query: string) => `/orgs/${org}/security/secret-scanning?${query}`;
  const topTypes = o.byType.slice(0, 10);
  const topRepos = o.byRepository.slice(0, 10);
  return html`<h1>${title}</h1>
    <div class="cards" role="list">
      <div class="card" role="listitem">
        <span>Open alerts</span><strong data-testid="open-count">${o.open}</strong>
      </div>
      <div class="card" role="listitem"><span>Closed alerts</span><strong>${o.closed}</strong></div>
      <div class="card" role="listitem">
        <span>Mean time to remediate</span><strong data-testid="mttr">${duration(o.meanSecondsToRemediate)}</strong>
      </div>
      <div class="card" role="listitem">
        <span>New this week</span><strong>${trend[trend.length - 1]?.created ?? 0}</strong>
      </div>
    </div>
    <div class="grid">
      <section aria-labelledby="open-over-time">
        <h2 id="open-over-time">Open alerts over time</h2>
        ${lineChart(
          "open-over-time-chart",
          `Open alerts at the end of each of the last ${weeks.length} weeks`,
          labels,
          [{ name: "Open alerts", color: "#cf222e", values: trend.map((t) => t.open) }],
        )}
        ${dataTable(
          "Open alerts per week",
          ["Week of", "Open at end of week"],
          trend.map((t) => [t.week, t.open]),
        )}
      </section>
      <section aria-labelledby="new-per-week">
        <h2 id="new-per-week">New and closed alerts per week</h2>
        ${lineChart("new-per-week-chart", "Alerts detected and closed per week", labels, [
          { name: "Detected", color: "#bc4c00", values: trend.map((t) => t.created) },
          { name: "Closed", color: "#1a7f37", values: trend.map((t) => t.resolved) },
        ])}
        ${dataTable(
          "Alerts per week",
          ["Week of", "Detected", "Closed"],
          trend.map((t) => [t.week, t.created, t.resolved]),
        )}
      </section>
      <section aria-labelledby="top-types">
        <h2 id="top-types">Top secret types</h2>
        ${barChart(
          "top-types-chart",
          "Open alerts by secret type",
          topTypes.map((t) => ({ label: t.displayName, value: t.open })),
        )}
        ${dataTable(
          "Alerts by secret type",
          ["Secret type", "Open", "Total"],
          topTypes.map((t) => [
            html`<a href="${alerts(`secret_type=${encodeURIComponent(t.secretType)}`)}">${t.displayName}</a>`,
            t.open,
            t.total,
          ]),
        )}
      </section>
      <section aria-labelledby="top-repos">
        <h2 id="top-repos">Top repositories</h2>
        ${barChart(
          "top-repos-chart",
          "Open alerts by repository",
          topRepos.map((r) => ({ label: names.get(r.repoId) ?? `#${r.repoId}`, value: r.open })),
        )}
        ${dataTable(
          "Alerts by repository",
          ["Repository", "Open", "Total"],
          topRepos.map((r) => {
            const name = names.get(r.repoId) ?? `#${r.repoId}`;
            return [html`<a href="/${name}/security/secret-scanning">${name}</a>`, r.open, r.total];
          }),
        )}
      </section>
      <section aria-labelledby="by-validity">
        <h2 id="by-validity">Open alerts by validity</h2>
        ${barChart(
          "by-validity-chart",
          "Open alerts by validity",
          o.byValidity.map((v) => ({ label: v.validity, value: v.open })),
          { value: "#8250df" },
        )}
        ${dataTable(
          "Open alerts by validity",
          ["Validity", "Open"],
          o.byValidity.map((v) => [html`<a href="${alerts(`validity=${v.validity}`)}">${v.validity}</a>`, v.open]),
        )}
      </section>
    </div>
    <p class="muted">
      Provider patterns and generic ones together; closed alerts that were reopened count as open from their detection.
    </p>`;
}

/** The figures of a chart as a table, folded under it (open for screen readers and keyboards alike). */
export function dataTable(caption: string, headers: string[], rows: (string | number | Html)[][]): Html {
  return html`<details class="data">
    <summary>${caption}: table</summary>
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${headers.map((h, i) => html`<th scope="col" class="${i > 0 ? "num" : ""}">${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) =>
            html`<tr>
              ${row.map((cell, i) => (i === 0 ? html`<th scope="row">${cell}</th>` : html`<td class="num">${cell}</td>`))}
            </tr>`,
        )}
      </tbody>
    </table>
  </details>`;
}

function duration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 86400 * 2) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}
