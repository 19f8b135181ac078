import { randomBytes } from "node:crypto";
import { maskSecret } from "vigil-secrets-engine";
import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import { StoreInputError, StoreUnchangedError, type AlertPage, type AlertStore } from "../alerts/alert-store.js";
import type { OverviewStore } from "../alerts/overview-store.js";
import type { ReviewStore } from "../alerts/review-store.js";
import type { PushProtectionStore } from "../push-protection/push-protection-store.js";
import type { WebhookStore } from "../webhooks/webhook-store.js";
import type { Alert, AlertEvent, Organization, Repository, User } from "../alerts/types.js";
import { formatLocationDetails } from "../api/alert-json.js";
import { parseAlertListQuery } from "../api/alert-list-query.js";
import type { ApiEnv, ApiUrls } from "../api/api-env.js";
import { ApiError, notFound } from "../api/api-error.js";
import { requireScopes } from "../api/authenticate.js";
import { MAX_RESOLUTION_COMMENT } from "../api/parse-alert-update.js";
import {
  alertRepositoriesOf,
  hasWriteAccess,
  resolveAlertRepository,
  resolveManagedOrganization,
} from "../api/repo-access.js";
import { updateAlertAs, type AlertUpdateOutcome } from "../api/update-alert.js";
import { CLOSE_REASONS, filterForm, readFilters } from "./alert-filters.js";
import { orgNav } from "./nav.js";
import { ENTERPRISE_SLUG, PAGE_PATHS, type PageKit } from "./page-kit.js";
import { mountOverviewPages } from "./overview-pages.js";
import { mountPushProtectionPages } from "./push-protection-pages.js";
import { remediationGuide } from "./remediation-guide.js";
import { mountSettingsPages } from "./settings-pages.js";
import { layout, type Html } from "./layout.js";
import { readSession, sameSecret, SESSION_COOKIE, type SignedIn } from "./read-session.js";
import type { WebSessionStore } from "./session-store.js";
import type { ValidityApi } from "../api/validity-routes.js";

export { SESSION_COOKIE } from "./read-session.js";
const LOGIN_CSRF_COOKIE = "vigil_login_csrf";
/** A session lasts a working day; signing out, or revoking the token it came from, ends it sooner. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const ALERT_SCOPES = ["repo", "security_events"] as const;
const RESOLUTION_NAMES: Record<string, string> = {
  revoked: "revoked",
  false_positive: "false positive",
  used_in_tests: "used in tests",
  wont_fix: "won't fix",
  pattern_edited: "pattern edited",
  pattern_deleted: "pattern deleted",
};

export interface WebPagesOptions {
  store: AlertStore;
  sessions: WebSessionStore;
  /** Push-protection metrics and pattern configurations (the settings and push-protection pages). */
  pushProtection?: PushProtectionStore;
  /** Delegated review: dismissal requests on close, and the reviewer queue. */
  reviews?: ReviewStore;
  webhooks?: WebhookStore;
  /** Wakes the webhook dispatcher after the settings page queued a ping. */
  onWebhookQueued?: () => void;
  overview?: OverviewStore;
  /** Public origin; an `https://` one marks the session cookie Secure. */
  publicUrl?: string;
  /** Validity checks: the alert page's "Verify secret" button (absent: no button). */
  validity?: ValidityApi;
}

export { PAGE_PATHS, WEB_FORM_PATHS, type PageKit } from "./page-kit.js";

/**
 * The web pages of `vigil serve`: sign in with a Vigil token, the organization's and a repository's
 * alert lists, and the alert page with its timeline, close-as and reopen. Server-rendered HTML with
 * plain forms (no script needed). Every page resolves access with the API's own helpers
 * (`api/repo-access.ts`) and the token's scopes: what the API would answer 404, the page answers 404.
 */
export function createWebPages(options: WebPagesOptions): Hono<ApiEnv> {
  const { store, sessions } = options;
  const pages = new Hono<ApiEnv>();

  const secureCookie = (c: Context): boolean =>
    (options.publicUrl ?? "").startsWith("https://") || new URL(c.req.url).protocol === "https:";
  const urlsOf = (c: Context): ApiUrls => {
    const origin = (options.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, "");
    return { web: origin, api: `${origin}/api/v3` };
  };

  const currentSession = (c: Context): Promise<SignedIn | null> => readSession(c, store, sessions);

  function toLogin(c: Context): Response {
    const url = new URL(c.req.url);
    const back = c.req.method === "GET" ? url.pathname + url.search : "";
    return c.redirect(
      back && back !== PAGE_PATHS.home ? `${PAGE_PATHS.login}?return_to=${encodeURIComponent(back)}` : PAGE_PATHS.login,
      303,
    );
  }

  /** A signed-in page: anonymous callers go to sign in (303); an `ApiError` renders as a page with its status. */
  function signedIn(handler: (c: Context<ApiEnv>, who: SignedIn) => Promise<Response>) {
    return async (c: Context<ApiEnv>): Promise<Response> => {
      const who = await currentSession(c);
      if (!who) return toLogin(c);
      c.set("user", who.user);
      c.set("token", who.token);
      c.set("urls", urlsOf(c));
      pageHeaders(c);
      try {
        if (c.req.method === "POST") {
          const form = await c.req.parseBody();
          if (!sameSecret(form._csrf, who.session.csrfToken)) {
            return c.html(
              page(
                who,
                "Form expired",
                html`<h1>Form expired</h1>
                  <p>The form was out of date or came from another site. Go back, reload the page and try again.</p>`,
              ),
              403,
            );
          }
        }
        return await handler(c, who);
      } catch (error) {
        if (error instanceof ApiError) return errorPage(c, who, error);
        throw error;
      }
    };
  }

  function errorPage(c: Context, who: SignedIn, error: ApiError): Response | Promise<Response> {
    if (error.status === 404) {
      return c.html(
        page(
          who,
          "Not found",
          html`<h1>Not found</h1>
            <p>This page does not exist, or you do not have access to it.</p>
            <p><a href="${PAGE_PATHS.home}">Your security overview</a></p>`,
        ),
        404,
      );
    }
    const status = error.status === 403 ? 403 : error.status === 400 ? 400 : 422;
    const title = status === 403 ? "Not allowed" : "That did not work";
    return c.html(
      page(
        who,
        title,
        html`<h1>${title}</h1>
          <p class="notice error" role="alert">${error.message}</p>
          <p><a href="${PAGE_PATHS.home}">Your security overview</a></p>`,
      ),
      status,
    );
  }

  // --- sign in and out ------------------------------------------------------------------------
  pages.get(PAGE_PATHS.login, async (c) => {
    if (await currentSession(c)) return c.redirect(safeReturn(c.req.query("return_to")), 303);
    return loginPage(c, null, 200, c.req.query("return_to"));
  });

  pages.post(PAGE_PATHS.login, async (c) => {
    const form = await c.req.parseBody();
    if (!sameSecret(form._csrf, getCookie(c, LOGIN_CSRF_COOKIE)))
      return loginPage(c, "The sign-in form expired. Try again.", 403, form.return_to);
    const token = typeof form.token === "string" ? form.token.trim() : "";
    const found = token && token.length <= 256 ? await store.authenticateToken(token) : null;
    if (!found) return loginPage(c, "That token is not valid: it is unknown, revoked or expired.", 401, form.return_to);
    const { id } = await sessions.create({ userId: found.user.id, tokenId: found.token.id, ttlMs: SESSION_TTL_MS });
    setCookie(c, SESSION_COOKIE, id, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: secureCookie(c),
      maxAge: SESSION_TTL_MS / 1000,
    });
    deleteCookie(c, LOGIN_CSRF_COOKIE, { path: PAGE_PATHS.login });
    return c.redirect(safeReturn(typeof form.return_to === "string" ? form.return_to : undefined), 303);
  });

  pages.post(
    PAGE_PATHS.logout,
    signedIn(async (c, who) => {
      await sessions.delete(who.sessionId);
      deleteCookie(c, SESSION_COOKIE, { path: "/", secure: secureCookie(c) });
      return c.redirect(`${PAGE_PATHS.login}?signed_out=1`, 303);
    }),
  );

  function loginPage(
    c: Context,
    problem: string | null,
    status: 200 | 401 | 403,
    returnTo: unknown,
  ): Response | Promise<Response> {
    const csrf = randomBytes(24).toString("base64url");
    setCookie(c, LOGIN_CSRF_COOKIE, csrf, {
      path: PAGE_PATHS.login,
      httpOnly: true,
      sameSite: "Lax",
      secure: secureCookie(c),
      maxAge: 3600,
    });
    pageHeaders(c);
    return c.html(
      layout(
        { title: "Sign in" },
        html`<h1>Sign in to Vigil</h1>
          ${c.req.query("signed_out") ? html`<p class="notice" role="status">You are signed out.</p>` : ""}
          ${problem ? html`<p class="notice error" role="alert">${problem}</p>` : ""}
          <form method="post" action="${PAGE_PATHS.login}">
            <input type="hidden" name="_csrf" value="${csrf}" /><input
              type="hidden"
              name="return_to"
              value="${safeReturn(typeof returnTo === "string" ? returnTo : undefined)}"
            />
            <p>
              <label for="token">Vigil token</label
              ><input id="token" type="password" name="token" autocomplete="off" required size="48" />
            </p>
            <p class="muted">
              Create one with <code>vigil token create --user LOGIN</code>. The pages show what the API shows this
              token.
            </p>
            <p><button class="primary" type="submit">Sign in</button></p>
          </form>`,
      ),
      status,
    );
  }

  // --- overview: where the user can look ---------------------------------------------------------
  pages.get(
    PAGE_PATHS.home,
    signedIn(async (c, who) => {
      const orgs: Organization[] = [];
      for (const org of await store.listOrganizations()) {
        try {
          orgs.push(await resolveManagedOrganization(store, who.user, org.login));
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
        }
      }
      const visible = who.user.siteAdmin ? null : new Set(await store.listAlertViewableRepoIds(who.user.id));
      const repos = (await store.listRepositories()).filter(
        (r) => r.secretScanningEnabled && (!visible || visible.has(r.id)),
      );
      return c.html(
        page(
          who,
          "Security overview",
          html`<h1>Security overview</h1>
            <h2>Organizations</h2>
            ${
              orgs.length === 0
                ? html`<p class="muted">You manage no organization's alerts.</p>`
                : html`<ul>
                    ${orgs.map((o) => html`<li><a href="/orgs/${o.login}/security/secret-scanning">${o.login}</a> · <a href="/orgs/${o.login}/security/overview" aria-label="Security overview of ${o.login}">overview</a></li>`)}
                  </ul>`
            }
            <h2>Repositories</h2>
            ${
              repos.length === 0
                ? html`<p class="muted">You manage no repository's alerts.</p>`
                : html`<ul>
                      ${repos.map((r) => html`<li><a href="/${r.fullName}/security/secret-scanning">${r.fullName}</a></li>`)}
                    </ul>
                    <p>
                      <a href="/enterprises/${ENTERPRISE_SLUG}/security/secret-scanning">Every repository's alerts</a>
                    </p>`
            }`,
        ),
      );
    }),
  );

  const kit: PageKit = {
    options,
    signedIn,
    page,
    csrfField: (who) => html`<input type="hidden" name="_csrf" value="${who.session.csrfToken}" />`,
  };
  // Organization pages are registered before the repository ones: `/orgs/x/...` is an organization,
  // never a repository named x of an owner `orgs`.
  mountOverviewPages(pages, kit);
  mountPushProtectionPages(pages, kit);
  mountSettingsPages(pages, kit);

  // --- alert lists ------------------------------------------------------------------------------
  const orgRepos = async (c: Context<ApiEnv>, who: SignedIn) => {
    const org = await resolveManagedOrganization(store, who.user, c.req.param("org") ?? "");
    requireScopes(c, ALERT_SCOPES);
    const repos = await alertRepositoriesOf(store, org);
    return { org, repos: new Map(repos.map((r) => [r.id, { repo: r, org }])) };
  };
  /** The enterprise list: every repository whose alerts the user may see (the API's enterprise rule). */
  const enterpriseRepos = async (c: Context<ApiEnv>, who: SignedIn) => {
    if (c.req.param("enterprise") !== ENTERPRISE_SLUG) throw notFound();
    const orgs = new Map((await store.listOrganizations()).map((org) => [org.id, org]));
    const visible = who.user.siteAdmin ? null : new Set(await store.listAlertViewableRepoIds(who.user.id));
    const repos = new Map<number, { repo: Repository; org: Organization }>();
    for (const repo of await store.listRepositories()) {
      const org = orgs.get(repo.orgId);
      if (!org || !org.secretScanningEnabled || !repo.secretScanningEnabled) continue;
      if (visible && !visible.has(repo.id)) continue;
      repos.set(repo.id, { repo, org });
    }
    if (!who.user.siteAdmin && repos.size === 0) throw notFound();
    requireScopes(c, ALERT_SCOPES);
    return repos;
  };
  const oneRepo = async (c: Context<ApiEnv>, who: SignedIn) => {
    const { repo, org } = await resolveAlertRepository(
      store,
      who.user,
      c.req.param("owner") ?? "",
      c.req.param("repo") ?? "",
    );
    requireScopes(c, ALERT_SCOPES);
    return { repo, org, repos: new Map([[repo.id, { repo, org }]]) };
  };

  pages.get(
    PAGE_PATHS.orgAlerts,
    signedIn(async (c, who) => {
      const { org, repos } = await orgRepos(c, who);
      return alertList(c, who, `Secret scanning alerts · ${org.login}`, repos, true, org.login);
    }),
  );
  pages.post(
    PAGE_PATHS.orgAlerts,
    signedIn(async (c, who) => bulkClose(c, who, (await orgRepos(c, who)).repos)),
  );
  pages.get(
    PAGE_PATHS.enterpriseAlerts,
    signedIn(async (c, who) =>
      alertList(c, who, "Secret scanning alerts · enterprise", await enterpriseRepos(c, who), true),
    ),
  );
  pages.post(
    PAGE_PATHS.enterpriseAlerts,
    signedIn(async (c, who) => bulkClose(c, who, await enterpriseRepos(c, who))),
  );
  pages.get(
    PAGE_PATHS.repoAlerts,
    signedIn(async (c, who) => {
      const { repo, repos } = await oneRepo(c, who);
      return alertList(c, who, `Secret scanning alerts · ${repo.fullName}`, repos, false);
    }),
  );
  pages.post(
    PAGE_PATHS.repoAlerts,
    signedIn(async (c, who) => bulkClose(c, who, (await oneRepo(c, who)).repos)),
  );

  async function alertList(
    c: Context<ApiEnv>,
    who: SignedIn,
    title: string,
    allRepos: Map<number, { repo: Repository; org: Organization }>,
    withRepository: boolean,
    orgLogin?: string,
  ): Promise<Response> {
    const url = new URL(c.req.url);
    const filters = readFilters(url.searchParams);
    let repos = allRepos;
    if (filters.repoNames.length > 0) {
      const wanted = new Set(filters.repoNames);
      repos = new Map([...allRepos].filter(([, { repo }]) => wanted.has(repo.fullName) || wanted.has(repo.name)));
    }
    const parsed = parseAlertListQuery(filters.apiParams);
    if (parsed.assigneeLogin) {
      // As the API: an unknown login matches no alert (no user has id 0).
      const assignee = await store.getUserByLogin(parsed.assigneeLogin);
      parsed.query.assignee = assignee ? assignee.id : 0;
    }
    const listing: AlertPage =
      repos.size === 0
        ? { alerts: [], hasNext: false, hasPrevious: false }
        : await store.listAlerts({ ...parsed.query, repoIds: [...repos.keys()] });
    const assignees = new Map<number, User>();
    for (const id of new Set(listing.alerts.map((a) => a.assigneeId).filter((id): id is number => id !== null))) {
      const user = await store.getUserById(id);
      if (user) assignees.set(id, user);
    }
    const pageLink = (cursor: "before" | "after", value: string): string => {
      const next = new URLSearchParams(url.searchParams);
      next.delete("before");
      next.delete("after");
      next.delete("bulk");
      next.set(cursor, value);
      return `${url.pathname}?${next.toString()}`;
    };
    const rows = listing.alerts.map((alert) => {
      const { repo } = repos.get(alert.repoId)!;
      const loc = alert.firstLocation?.details as { path?: string; startLine?: number } | undefined;
      const assignee = alert.assigneeId === null ? undefined : assignees.get(alert.assigneeId);
      const id = `select-${repo.id}-${alert.number}`;
      return html`<tr>
        <td>
          ${
            alert.state === "open"
              ? html`<input
                  type="checkbox"
                  form="bulk"
                  name="alert"
                  value="${repo.fullName}#${alert.number}"
                  id="${id}"
                  aria-label="Select alert ${alert.number} of ${repo.fullName}"
                />`
              : ""
          }
        </td>
        <td>
          <a href="${alertPath(repo, alert)}">${alert.secretTypeDisplayName}</a><br /><code
            >${maskSecret(alert.secret)}</code
          >
        </td>
        ${withRepository ? html`<td><a href="/${repo.fullName}/security/secret-scanning">${repo.fullName}</a></td>` : ""}
        <td>
          ${loc?.path ? html`<code>${loc.path}:${loc.startLine ?? ""}</code>` : html`<span class="muted">—</span>`}${alert.locationCount > 1 ? html` <span class="muted">+${alert.locationCount - 1}</span>` : ""}
        </td>
        <td>
          ${stateLabel(alert)}${alert.pushProtectionBypassed ? html` <span class="label muted">Bypassed</span>` : ""}${alert.publiclyLeaked ? html` <span class="label muted">Public leak</span>` : ""}${alert.multiRepo ? html` <span class="label muted">Multi-repo</span>` : ""}
        </td>
        <td>${alert.validity}</td>
        <td>${alert.provider ?? html`<span class="muted">generic</span>`}</td>
        <td>${assignee ? assignee.login : html`<span class="muted">—</span>`}</td>
        <td><time datetime="${alert.createdAt}">${day(alert.createdAt)}</time></td>
      </tr>`;
    });
    const bulk = c.req.query("bulk");
    return c.html(
      page(
        who,
        title,
        html`<h1>${title}</h1>

          ${bulk ? html`<p class="notice" role="status">${bulk}</p>` : ""}
          ${filterForm(url.pathname, filters.values, { withRepository })}
          <form
            id="bulk"
            method="post"
            action="${url.pathname}${url.search}"
            class="filters"
            aria-label="Close selected alerts"
          >
            ${kit.csrfField(who)}
            <label
              >Close selected as<select name="resolution" required>
                <option value="">Choose a reason</option>
                ${CLOSE_REASONS.map(([value, label]) => html`<option value="${value}">${label}</option>`)}
              </select></label
            >
            <label
              >Comment<input
                name="comment"
                maxlength="${MAX_RESOLUTION_COMMENT}"
                size="40"
                placeholder="optional; lands in each timeline"
            /></label>
            <button type="submit" class="danger">Close selected</button>
          </form>
          <table>
            <caption>
              ${listing.alerts.length === 0 ? "No alerts match these filters." : `Alerts on this page: ${listing.alerts.length}`}
            </caption>
            <thead>
              <tr>
                <th scope="col"><span class="skip">Select</span></th>
                <th scope="col">Secret</th>
                ${withRepository ? html`<th scope="col">Repository</th>` : ""}
                <th scope="col">First location</th>
                <th scope="col">State</th>
                <th scope="col">Validity</th>
                <th scope="col">Provider</th>
                <th scope="col">Assignee</th>
                <th scope="col">Detected</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
          <nav class="pages" aria-label="Pages">
            ${listing.hasPrevious && listing.startCursor ? html`<a rel="prev" href="${pageLink("before", listing.startCursor)}">← Previous</a>` : ""}${
              listing.hasNext && listing.endCursor
                ? html`<a rel="next" href="${pageLink("after", listing.endCursor)}">Next →</a>`
                : ""
            }
          </nav>
          ${
            !withRepository && repos.size === 1
              ? html`<p>
                  <a href="/${[...repos.values()][0]!.repo.fullName}/settings/security">Repository security settings</a>
                </p>`
              : ""
          }`,
        orgLogin ? { org: orgLogin, path: url.pathname } : undefined,
      ),
    );
  }

  /**
   * Closes the checked alerts with one reason and comment, each through the API's update (dismissal
   * review included), each only if in a repository of this list. Back to the list with a summary.
   */
  async function bulkClose(
    c: Context<ApiEnv>,
    who: SignedIn,
    repos: Map<number, { repo: Repository; org: Organization }>,
  ): Promise<Response> {
    const form = await c.req.parseBody({ all: true });
    const picked = ([] as unknown[]).concat(form.alert ?? []).filter((v): v is string => typeof v === "string");
    if (picked.length === 0) throw new ApiError(422, "Select at least one alert to close");
    if (picked.length > 100) throw new ApiError(422, "Close at most 100 alerts at once");
    const comment = typeof form.comment === "string" && form.comment.trim() !== "" ? form.comment.trim() : null;
    const byName = new Map([...repos.values()].map((r) => [r.repo.fullName, r]));
    const targets: { repo: Repository; org: Organization; alert: Alert }[] = [];
    for (const value of picked) {
      const match = /^(.+)#([1-9][0-9]{0,14})$/.exec(value);
      const where = match ? byName.get(match[1]!) : undefined;
      const alert = where ? await store.getAlert(where.repo.id, Number(match![2])) : null;
      if (!where || !alert) throw new ApiError(422, `Alert ${value.slice(0, 80)} is not in this list`);
      targets.push({ ...where, alert });
    }
    let closed = 0;
    let requested = 0;
    let unchanged = 0;
    for (const { repo, org, alert } of targets) {
      if (alert.state === "resolved") {
        unchanged++;
        continue;
      }
      // The first bad reason or comment stops the run before any alert changes: validated on the first.
      const outcome = await updateAlertAs({ store, reviews: options.reviews }, who.user, repo, org, alert, {
        state: "resolved",
        resolution: form.resolution || null,
        resolution_comment: comment,
      }).catch((error: unknown) => {
        if (error instanceof StoreUnchangedError) return null;
        throw error;
      });
      if (outcome === null) unchanged++;
      else if (outcome.kind === "updated") closed++;
      else requested++;
    }
    const parts = [`Closed ${closed} alert${closed === 1 ? "" : "s"}`];
    if (requested > 0) parts.push(`${requested} sent for review (your organization requires review to close alerts)`);
    if (unchanged > 0) parts.push(`${unchanged} already closed`);
    const back = new URL(c.req.url);
    back.searchParams.set("bulk", parts.join("; ") + ".");
    return c.redirect(back.pathname + back.search, 303);
  }

  // --- one alert --------------------------------------------------------------------------------
  pages.get(
    PAGE_PATHS.alert,
    signedIn(async (c, who) => {
      const { repo, alert } = await alertOf(c, who);
      return alertPage(c, who, repo, alert, null, 200);
    }),
  );

  pages.post(
    PAGE_PATHS.alert,
    signedIn(async (c, who) => {
      const { repo, org, alert } = await alertOf(c, who);
      const form = await c.req.parseBody();
      const comment = typeof form.comment === "string" && form.comment.trim() !== "" ? form.comment.trim() : null;
      if (form.action === "reveal") {
        if (!options.reviews)
          throw new ApiError(
            422,
            "Revealing a secret is not available: this server keeps no record of who revealed it",
          );
        // Reading the secret is itself on the record: a timeline entry with who and when (never the secret).
        if (options.reviews) await options.reviews.recordAlertEvent(alert, "secret_revealed", who.user.id, {});
        return alertPage(c, who, repo, alert, null, 200, true);
      }
      let body: Record<string, unknown>;
      if (form.action === "close")
        body = { state: "resolved", resolution: form.resolution ?? null, resolution_comment: comment };
      else if (form.action === "reopen") body = { state: "open", resolution_comment: comment };
      else if (form.action === "verify") {
        const problem = await verifyProblem(repo, alert);
        if (problem) return alertPage(c, who, repo, alert, problem, 422);
        await options.validity!.checkNow(repo, alert, who.user.id);
        return c.redirect(alertPath(repo, alert), 303);
      } else if (form.action === "assign") {
        const login = typeof form.assignee === "string" ? form.assignee.trim() : "";
        body = { assignee: login === "" ? null : login };
      } else if (form.action === "unassign") body = { assignee: null };
      else throw new ApiError(422, "Choose to close, reopen, assign, verify or reveal the alert");
      let outcome: AlertUpdateOutcome;
      try {
        outcome = await updateAlertAs({ store, reviews: options.reviews }, who.user, repo, org, alert, body);
      } catch (error) {
        const message =
          error instanceof ApiError || error instanceof StoreUnchangedError || error instanceof StoreInputError
            ? error.message
            : null;
        if (message === null) throw error;
        const status =
          error instanceof ApiError && error.status === 400 ? 400 : error instanceof StoreUnchangedError ? 400 : 422;
        return alertPage(c, who, repo, alert, message, status);
      }
      if (outcome.kind === "dismissal_requested")
        return c.redirect(`${alertPath(repo, alert)}?requested=${outcome.request.number}`, 303);
      return c.redirect(alertPath(repo, alert), 303);
    }),
  );

  /** Why "Verify secret" cannot run for this alert, or null. */
  async function verifyProblem(repo: Repository, alert: Alert): Promise<string | null> {
    if (!options.validity || !(await options.validity.store.isEnabled(repo.orgId))) return "Validity checks are not enabled for this organization";
    if (!options.validity.supports(alert.secretType)) return `No validity check exists for secret type ${alert.secretType}`;
    return null;
  }

  async function alertOf(
    c: Context<ApiEnv>,
    who: SignedIn,
  ): Promise<{ repo: Repository; org: Organization; alert: Alert }> {
    const { repo, org } = await resolveAlertRepository(
      store,
      who.user,
      c.req.param("owner") ?? "",
      c.req.param("repo") ?? "",
    );
    requireScopes(c, ALERT_SCOPES);
    const raw = c.req.param("number") ?? "";
    if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw notFound();
    const alert = await store.getAlert(repo.id, Number(raw));
    if (!alert) throw notFound();
    return { repo, org, alert };
  }

  async function alertPage(
    c: Context<ApiEnv>,
    who: SignedIn,
    repo: Repository,
    alert: Alert,
    problem: string | null,
    status: 200 | 400 | 422,
    revealed = false,
  ): Promise<Response> {
    const urls = c.get("urls");
    const locations = await store.listLocations(alert.id, { page: 1, perPage: 100 });
    const events = await store.listEvents(alert.id);
    const users = new Map<number, User>();
    for (const id of new Set(
      [
        ...events.flatMap((e) => [e.actorId, typeof e.payload.assigneeId === "number" ? e.payload.assigneeId : null]),
        alert.resolvedBy,
        alert.assigneeId,
      ].filter((id): id is number => id !== null),
    )) {
      const user = await store.getUserById(id);
      if (user) users.set(id, user);
    }
    const title = `${alert.secretTypeDisplayName} · alert #${alert.number}`;
    const lastCheck = options.validity ? await options.validity.store.getCheck(alert.id) : null;
    const canVerify = (await verifyProblem(repo, alert)) === null;
    const guide = remediationGuide(alert);
    const assignee = alert.assigneeId === null ? undefined : users.get(alert.assigneeId);
    // Who can be assigned: users with write access to the repository (the API's rule), listed for the picker.
    const assignable: User[] = [];
    for (const user of await store.listUsers()) {
      if (assignable.length >= 200) break;
      if (hasWriteAccess(user, await store.getRoles(user.id, repo.id))) assignable.push(user);
    }
    const requested = c.req.query("requested");
    const csrf = html`<input type="hidden" name="_csrf" value="${who.session.csrfToken}" />`;
    const action =
      alert.state === "open"
        ? html`<form method="post" action="${alertPath(repo, alert)}">
            <input type="hidden" name="action" value="close" />${csrf}
            <fieldset>
              <legend>Close as</legend>
              ${CLOSE_REASONS.map(([value, label, help]) => html`<label style="font-weight:400"><input type="radio" name="resolution" value="${value}" required /> <strong>${label}</strong> <span class="muted">${help}</span></label>`)}
              <label for="comment"
                >Comment
                <span class="muted"
                  >(optional, up to ${MAX_RESOLUTION_COMMENT} characters; it lands in the timeline)</span
                ></label
              >
              <textarea id="comment" name="comment" rows="3" maxlength="${MAX_RESOLUTION_COMMENT}"></textarea>
              <p><button class="danger" type="submit">Close alert</button></p>
            </fieldset>
          </form>`
        : html`<form method="post" action="${alertPath(repo, alert)}">
            <input type="hidden" name="action" value="reopen" />${csrf}
            <label for="comment">Comment <span class="muted">(optional)</span></label
            ><textarea id="comment" name="comment" rows="2" maxlength="${MAX_RESOLUTION_COMMENT}"></textarea>
            <p><button type="submit">Reopen alert</button></p>
          </form>`;
    return c.html(
      page(
        who,
        title,
        html`<p class="muted">
            <a href="/${repo.fullName}/security/secret-scanning">${repo.fullName}</a> › Secret scanning
          </p>
          <h1>${alert.secretTypeDisplayName} <span class="muted">#${alert.number}</span> ${stateLabel(alert)}</h1>
          ${problem ? html`<p class="notice error" role="alert">${problem}</p>` : ""}
          ${
            requested
              ? html`<p class="notice" role="status">
                  Your organization requires review to close alerts: dismissal request #${requested} waits for a
                  reviewer; the alert stays open until one approves it.
                </p>`
              : ""
          }
          <dl class="facts">
            <dt>Secret</dt>
            <dd>
              ${
                revealed
                  ? html`<code data-testid="revealed-secret">${alert.secret}</code>
                      <span class="muted">(revealed to you; recorded in the timeline)</span>`
                  : html`<code data-testid="masked-secret">${maskSecret(alert.secret)}</code>
                      <form method="post" action="${alertPath(repo, alert)}" style="display:inline">
                        ${csrf}<input type="hidden" name="action" value="reveal" /><button type="submit">
                          Reveal secret
                        </button>
                      </form>`
              }
            </dd>
            <dt>Type</dt>
            <dd><code>${alert.secretType}</code>${alert.provider ? html` · ${alert.provider}` : html` · generic`}</dd>
            <dt>Validity</dt>
            <dd>
              <span data-testid="validity">${alert.validity}</span>
              ${lastCheck ? html`<span class="muted">· checked <time datetime="${lastCheck.checkedAt}">${when(lastCheck.checkedAt)}</time> (${lastCheck.detail})</span>` : ""}
              ${canVerify
                ? html`<form method="post" action="${alertPath(repo, alert)}" style="display:inline">
                    <input type="hidden" name="action" value="verify" />${csrf}<button type="submit">Verify secret</button>
                  </form>`
                : ""}
            </dd>
            <dt>Assignee</dt>
            <dd>
              <form method="post" action="${alertPath(repo, alert)}" class="inline" aria-label="Assign">
                ${csrf}<input type="hidden" name="action" value="assign" />
                <label for="assignee" class="skip">Assignee</label>
                <select id="assignee" name="assignee">
                  <option value="">No one</option>
                  ${assignable.map((u) => html`<option value="${u.login}" ${u.id === alert.assigneeId ? " selected" : ""}>${u.login}</option>`)}
                </select>
                <button type="submit">${assignee ? "Change assignee" : "Assign"}</button>
              </form>
            </dd>
            <dt>Detected</dt>
            <dd><time datetime="${alert.createdAt}">${when(alert.createdAt)}</time></dd>
            ${
              alert.state === "resolved"
                ? html`<dt>Closed</dt>
                    <dd>
                      as ${RESOLUTION_NAMES[alert.resolution ?? ""] ?? alert.resolution} by
                      ${actor(users, alert.resolvedBy)}${alert.resolvedAt ? html` on ${when(alert.resolvedAt)}` : ""}
                    </dd>`
                : ""
            }
          </dl>
          <section class="box" aria-labelledby="act">
            ${html`<h2 id="act" style="margin-top:0">${alert.state === "open" ? "Close this alert" : "Reopen this alert"}</h2>`}${action}
          </section>
          <section class="box" aria-labelledby="remediate">
            <h2 id="remediate" style="margin-top:0">Remediation</h2>
            <p>${guide.steps}</p>
            ${guide.revokeUrl ? html`<p>Revoke it at <a href="${guide.revokeUrl}" rel="noreferrer">${guide.revokeUrl}</a>.</p>` : ""}
            <p class="muted">
              Closing the alert does not make the secret safe: revoke it first, then close the alert as revoked.
            </p>
          </section>
          <h2 id="locations">Locations (${alert.locationCount})</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Commit</th>
                <th scope="col">Author</th>
              </tr>
            </thead>
            <tbody>
              ${locations.map((location) => {
                const details = formatLocationDetails(location, repo, urls) as {
                  path?: string;
                  start_line?: number;
                  end_line?: number;
                  commit_sha?: string;
                  html_url?: string;
                };
                const author = (location.details as { authorName?: string }).authorName;
                return html`<tr>
                  <td>
                    ${details.html_url ? html`<a href="${details.html_url}">${details.path ?? location.type}:${details.start_line ?? ""}</a>` : html`${location.type}`}
                  </td>
                  <td><code>${(details.commit_sha ?? "").slice(0, 12)}</code></td>
                  <td>${author ?? ""}</td>
                </tr>`;
              })}
            </tbody>
          </table>
          <h2 id="timeline">Timeline</h2>
          <ol class="timeline" aria-labelledby="timeline">
            ${events.map(
              (event) =>
                html`<li>
                  ${describeEvent(event, users)}
                  <span class="muted">· <time datetime="${event.createdAt}">${when(event.createdAt)}</time></span>
                </li>`,
            )}
          </ol>`,
      ),
      status,
    );
  }

  function page(who: SignedIn, title: string, body: Html, nav?: { org: string; path: string }): Html {
    return layout(
      {
        title,
        user: { login: who.user.login, csrfToken: who.session.csrfToken },
        ...(nav ? { nav: orgNav(nav.org, nav.path) } : {}),
      },
      body,
    );
  }

  return pages;
}

function describeEvent(event: AlertEvent, users: Map<number, User>): Html {
  const who = actor(users, event.actorId);
  const snapshot = (event.payload.alert ?? {}) as { resolution?: string; resolutionComment?: string | null };
  switch (event.action) {
    case "created":
      return html`<strong>Detected</strong> ${event.actorId !== null ? html`by a push of ${who}` : ""}`;
    case "resolved":
      return html`<strong>Closed as ${RESOLUTION_NAMES[snapshot.resolution ?? ""] ?? snapshot.resolution}</strong> by
        ${who}${snapshot.resolutionComment ? html`: <q>${snapshot.resolutionComment}</q>` : ""}`;
    case "reopened": {
      const comment = typeof event.payload.comment === "string" ? event.payload.comment : null;
      return html`<strong>Reopened</strong> by ${who}${comment ? html`: <q>${comment}</q>` : ""}`;
    }
    case "assigned":
    case "unassigned": {
      const target = typeof event.payload.assigneeId === "number" ? actor(users, event.payload.assigneeId) : null;
      const verb = event.action === "assigned" ? "Assigned" : "Unassigned";
      return html`<strong>${verb}</strong>${target ? html` ${target}` : ""} by ${who}`;
    }
    case "secret_revealed":
      return html`<strong>Secret revealed</strong> to ${who}`;
    case "validated": {
      const validity = (event.payload.alert as { validity?: string } | undefined)?.validity;
      const before = typeof event.payload.previousValidity === "string" ? event.payload.previousValidity : null;
      return html`<strong>Validity ${validity ?? "changed"}</strong>${before ? html` (was ${before})` : ""}${event.actorId !== null ? html` · checked by ${who}` : ""}`;
    }
    case "validity_checked": {
      const validity = typeof event.payload.validity === "string" ? event.payload.validity : "unknown";
      const detail = typeof event.payload.detail === "string" ? event.payload.detail : "";
      return html`<strong>Validity checked</strong>: ${validity}${detail ? html` (${detail})` : ""}${event.actorId !== null ? html` by ${who}` : ""}`;
    }
    case "location_created":
      return html`<strong>Found in another location</strong>`;
    case "publicly_leaked":
      return html`<strong>Publicly leaked</strong>: found in a public repository`;
    case "partner_reported": {
      const partner = typeof event.payload.partner === "string" ? event.payload.partner : "its issuer";
      return html`<strong>Reported</strong> to ${partner}`;
    }
    case "partner_labeled": {
      const label = typeof event.payload.label === "string" ? event.payload.label : "a label";
      return html`<strong>Issuer answered</strong> ${label}`;
    }
    case "owner_notified":
      return html`<strong>Token owner notified</strong>`;
    case "dismissal_requested":
    case "bypass_requested": {
      const what = event.action === "dismissal_requested" ? "Closing requested" : "Push-protection bypass requested";
      const comment = typeof event.payload.comment === "string" ? event.payload.comment : null;
      return html`<strong>${what}</strong> by ${who}${comment ? html`: <q>${comment}</q>` : ""}`;
    }
    case "dismissal_approved":
    case "dismissal_denied":
    case "bypass_approved": {
      const what =
        event.action === "dismissal_approved"
          ? "Closing approved"
          : event.action === "dismissal_denied"
            ? "Closing denied"
            : "Bypass approved";
      const message = typeof event.payload.message === "string" ? event.payload.message : null;
      return html`<strong>${what}</strong> by ${who}${message ? html`: <q>${message}</q>` : ""}`;
    }
  }
}

function actor(users: Map<number, User>, id: number | null): Html | string {
  const user = id === null ? undefined : users.get(id);
  return user ? html`<strong>${user.login}</strong>` : "Vigil";
}

function stateLabel(alert: Alert): Html {
  return alert.state === "open"
    ? html`<span class="label open">Open</span>`
    : html`<span class="label resolved"
        >Closed as ${RESOLUTION_NAMES[alert.resolution ?? ""] ?? alert.resolution}</span
      >`;
}

export function alertPath(repo: Repository, alert: Pick<Alert, "number">): string {
  return `/${repo.fullName}/security/secret-scanning/${alert.number}`;
}

const day = (iso: string): string => new Date(iso).toISOString().slice(0, 10);
const when = (iso: string): string => new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC";

/**
 * Every page: not cached (it shows alerts), never framed, and no script at all (the pages need none,
 * so an injected one would not run); forms post only to this server.
 */
function pageHeaders(c: Context): void {
  c.header("Cache-Control", "no-store");
  c.header("X-Frame-Options", "DENY");
  c.header("X-Content-Type-Options", "nosniff");
  c.header(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
}

/** Only a path on this server: `/x`, never `//host` or `/\host` (an open redirect). */
function safeReturn(value: string | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || /[\r\n]/.test(value))
    return PAGE_PATHS.home;
  return value;
}
