import type { Hono } from "hono";
import { html } from "hono/html";
import type { ReviewKind } from "../alerts/review-store.js";
import type { Repository, User } from "../alerts/types.js";
import type { ApiEnv } from "../api/api-env.js";
import { ApiError, notFound } from "../api/api-error.js";
import { requireScopes } from "../api/authenticate.js";
import { resolveManagedOrganization } from "../api/repo-access.js";
import { isReviewer, reviewRequest } from "../api/review-routes.js";
import { dataTable } from "./overview-pages.js";
import { PAGE_PATHS, type PageKit } from "./page-kit.js";
import { barChart, lineChart } from "./svg-chart.js";

const DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_MESSAGE = 2048;
const REASON_NAMES: Record<string, string> = {
  false_positive: "False positive",
  used_in_tests: "Used in tests",
  will_fix_later: "Will fix later",
  revoked: "Revoked",
  wont_fix: "Won't fix",
};

/** One bar of blocked and bypassed pushes: the bypassed part drawn over the whole. */
function stacked(label: string, counts: { blocked: number; bypassed: number }) {
  return {
    label,
    value: counts.blocked + counts.bypassed,
    part: counts.bypassed,
    text: `${counts.blocked} blocked, ${counts.bypassed} bypassed`,
  };
}

/**
 * GitHub's push-protection metrics page for an organization (blocked pushes and bypasses over the
 * last 30 days, by pattern, repository and bypass reason), and the reviewer queue: the pending
 * bypass and dismissal requests, approved or denied through the API's own review service.
 */
export function mountPushProtectionPages(pages: Hono<ApiEnv>, kit: PageKit): void {
  const { store, pushProtection, reviews } = kit.options;

  pages.get(
    PAGE_PATHS.orgPushProtection,
    kit.signedIn(async (c, who) => {
      const org = await resolveManagedOrganization(store, who.user, c.req.param("org") ?? "");
      requireScopes(c, ["repo", "security_events"]);
      if (!pushProtection) throw notFound();
      const repos = await store.listRepositories({ orgId: org.id });
      const names = new Map(repos.map((r) => [r.id, r.fullName]));
      const since = new Date(Date.now() - (DAYS - 1) * DAY_MS);
      since.setUTCHours(0, 0, 0, 0);
      const metrics = await pushProtection.pushMetrics({ repoIds: repos.map((r) => r.id), since: since.toISOString() });
      const days = Array.from({ length: DAYS }, (_, i) =>
        new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10),
      );
      const perDay = new Map(metrics.byDay.map((d) => [d.day, d]));
      const pending = reviews
        ? (
            await reviews.listRequests({
              kind: "bypass",
              repoIds: repos.map((r) => r.id),
              statuses: ["pending"],
              page: 1,
              perPage: 1,
            })
          ).total
        : 0;
      const title = `Push protection · ${org.login}`;
      const percent = (part: number, whole: number) => (whole === 0 ? "—" : `${Math.round((part / whole) * 100)}%`);
      return c.html(
        kit.page(
          who,
          title,
          html`<h1>${title}</h1>
            <p class="muted">
              The last ${DAYS} days: pushes push protection blocked, and the blocked secrets people pushed anyway.
            </p>
            <div class="cards" role="list">
              <div class="card" role="listitem">
                <span>Pushes blocked</span><strong data-testid="blocked">${metrics.blocked}</strong>
              </div>
              <div class="card" role="listitem">
                <span>Bypasses</span><strong data-testid="bypassed">${metrics.bypassed}</strong>
              </div>
              <div class="card" role="listitem">
                <span>Bypass rate</span><strong>${percent(metrics.bypassed, metrics.blocked)}</strong>
              </div>
              <div class="card" role="listitem">
                <span>Open bypass requests</span
                ><strong><a href="/orgs/${org.login}/security/reviews">${pending}</a></strong>
              </div>
            </div>
            <div class="grid">
              <section aria-labelledby="over-time">
                <h2 id="over-time">Blocked pushes and bypasses over time</h2>
                ${lineChart("push-over-time-chart", `Blocked pushes and bypasses per day, last ${DAYS} days`, days, [
                  { name: "Blocked", color: "#cf222e", values: days.map((d) => perDay.get(d)?.blocked ?? 0) },
                  { name: "Bypassed", color: "#bf8700", values: days.map((d) => perDay.get(d)?.bypassed ?? 0) },
                ])}
                ${dataTable(
                  "Pushes per day",
                  ["Day", "Blocked", "Bypassed"],
                  metrics.byDay.map((d) => [d.day, d.blocked, d.bypassed]),
                )}
              </section>
              <section aria-labelledby="by-pattern">
                <h2 id="by-pattern">By pattern</h2>
                ${barChart(
                  "push-by-pattern-chart",
                  "Blocked and bypassed pushes by secret type",
                  metrics.byType.slice(0, 10).map((t) => stacked(t.secretType, t)),
                  { value: "#ffcecb", part: "#bf8700" },
                )}
                ${dataTable(
                  "Pushes by secret type",
                  ["Secret type", "Blocked", "Bypassed"],
                  metrics.byType.map((t) => [t.secretType, t.blocked, t.bypassed]),
                )}
              </section>
              <section aria-labelledby="by-repository">
                <h2 id="by-repository">By repository</h2>
                ${barChart(
                  "push-by-repository-chart",
                  "Blocked and bypassed pushes by repository",
                  metrics.byRepository.slice(0, 10).map((r) => stacked(names.get(r.repoId) ?? `#${r.repoId}`, r)),
                  { value: "#ffcecb", part: "#bf8700" },
                )}
                ${dataTable(
                  "Pushes by repository",
                  ["Repository", "Blocked", "Bypassed"],
                  metrics.byRepository.map((r) => [names.get(r.repoId) ?? `#${r.repoId}`, r.blocked, r.bypassed]),
                )}
              </section>
              <section aria-labelledby="by-reason">
                <h2 id="by-reason">By bypass reason</h2>
                ${barChart(
                  "push-by-reason-chart",
                  "Bypasses by reason",
                  metrics.byReason.map((r) => ({ label: REASON_NAMES[r.reason] ?? r.reason, value: r.count })),
                  { value: "#bf8700" },
                )}
                ${dataTable(
                  "Bypasses by reason",
                  ["Reason", "Bypasses"],
                  metrics.byReason.map((r) => [REASON_NAMES[r.reason] ?? r.reason, r.count]),
                )}
              </section>
            </div>`,
          { org: org.login, path: new URL(c.req.url).pathname },
        ),
      );
    }),
  );

  // --- the reviewer queue -----------------------------------------------------------------------
  pages.get(
    PAGE_PATHS.orgReviews,
    kit.signedIn(async (c, who) => {
      const org = await resolveManagedOrganization(store, who.user, c.req.param("org") ?? "");
      requireScopes(c, ["repo", "security_events"]);
      const repos = await store.listRepositories({ orgId: org.id });
      const byId = new Map(repos.map((r) => [r.id, r]));
      const title = `Review requests · ${org.login}`;
      const nav = { org: org.login, path: new URL(c.req.url).pathname };
      if (!reviews)
        return c.html(
          kit.page(
            who,
            title,
            html`<h1>${title}</h1>
              <p>Delegated review is not enabled on this server.</p>`,
            nav,
          ),
        );
      const settings = await reviews.getOrgReviewSettings(org.id);
      const reviewer = await isReviewer(store, who.user, org.id);
      const users = new Map<number, User>();
      const userOf = async (id: number) => {
        if (!users.has(id)) {
          const user = await store.getUserById(id);
          if (user) users.set(id, user);
        }
        return users.get(id)?.login ?? `#${id}`;
      };
      const sections = [];
      for (const [kind, heading, required] of [
        ["bypass", "Bypass requests", settings.bypassReview],
        ["dismissal", "Dismissal requests", settings.dismissalReview],
      ] as const) {
        const { requests } = await reviews.listRequests({
          kind,
          repoIds: [...byId.keys()],
          statuses: ["pending"],
          page: 1,
          perPage: 100,
        });
        const rows = [];
        for (const request of requests) {
          const repo = byId.get(request.repoId)!;
          const what =
            kind === "bypass"
              ? html`${request.placeholder ? html`<code>${request.placeholder.path}</code> on <code>${request.placeholder.branch}</code>` : ""}`
              : html`<a href="/${repo.fullName}/security/secret-scanning/${request.number}"
                  >alert #${request.number}</a
                >`;
          const formId = `review-${kind}-${request.id}`;
          rows.push(
            html`<tr>
              <td>${repo.fullName}</td>
              <td><code>${request.secretType}</code><br />${what}</td>
              <td>${await userOf(request.requesterId)}</td>
              <td>
                ${REASON_NAMES[request.reason] ?? request.reason}${request.comment ? html`: <q>${request.comment}</q>` : ""}
              </td>
              <td><time datetime="${request.expiresAt}">${request.expiresAt.slice(0, 10)}</time></td>
              <td>
                ${
                  reviewer
                    ? html`<form
                        method="post"
                        action="/orgs/${org.login}/security/reviews"
                        id="${formId}"
                        aria-label="Review request ${request.number} of ${repo.fullName}"
                      >
                        ${kit.csrfField(who)}<input type="hidden" name="kind" value="${kind}" /><input
                          type="hidden"
                          name="repo"
                          value="${repo.name}"
                        /><input type="hidden" name="number" value="${request.number}" />
                        <label for="${formId}-message">Message</label
                        ><input id="${formId}-message" name="message" required maxlength="${MAX_MESSAGE}" size="24" />
                        <button type="submit" name="decision" value="approved" class="primary">Approve</button>
                        <button type="submit" name="decision" value="denied">Deny</button>
                      </form>`
                    : html`<span class="muted">Reviewers are the organization's owners and security managers.</span>`
                }
              </td>
            </tr>`,
          );
        }
        sections.push(
          html`<section aria-labelledby="${kind}-heading">
            <h2 id="${kind}-heading">${heading}</h2>
            <p class="muted">
              ${required ? "The organization requires review." : "The organization does not require review (set it in Settings)."}
            </p>
            <table>
              <caption>
                ${requests.length === 0 ? `No ${heading.toLowerCase()} wait for review.` : `${requests.length} waiting for review`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Repository</th>
                  <th scope="col">Secret</th>
                  <th scope="col">Requested by</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Decision</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>
          </section>`,
        );
      }
      const done = c.req.query("done");
      return c.html(
        kit.page(
          who,
          title,
          html`<h1>${title}</h1>
            ${done ? html`<p class="notice" role="status">${done}</p>` : ""} ${sections}`,
          nav,
        ),
      );
    }),
  );

  pages.post(
    PAGE_PATHS.orgReviews,
    kit.signedIn(async (c, who) => {
      const org = await resolveManagedOrganization(store, who.user, c.req.param("org") ?? "");
      requireScopes(c, ["repo", "security_events"]);
      if (!reviews) throw notFound();
      const form = await c.req.parseBody();
      const kind = form.kind as ReviewKind;
      if (kind !== "bypass" && kind !== "dismissal") throw new ApiError(422, "kind must be bypass or dismissal");
      const decision = form.decision;
      if (decision !== "approved" && decision !== "denied") throw new ApiError(422, "Choose to approve or to deny");
      const message = typeof form.message === "string" ? form.message.trim() : "";
      if (message === "" || message.length > MAX_MESSAGE)
        throw new ApiError(422, `A reviewer's message of 1 to ${MAX_MESSAGE} characters is required`);
      const repo: Repository | null =
        typeof form.repo === "string" ? await store.getRepository(org.login, form.repo) : null;
      const number =
        typeof form.number === "string" && /^[1-9][0-9]{0,14}$/.test(form.number) ? Number(form.number) : 0;
      const request = repo && number ? await reviews.getRequest(kind, repo.id, number) : null;
      if (!repo || !request) throw notFound();
      await reviewRequest({ store, reviews, pushProtection }, who.user, repo, org, request, decision, message);
      const done = `${kind === "bypass" ? "Bypass" : "Dismissal"} request #${number} of ${repo.fullName} ${decision}.`;
      return c.redirect(`/orgs/${org.login}/security/reviews?done=${encodeURIComponent(done)}`, 303);
    }),
  );
}
