import { randomBytes } from "node:crypto";
import { builtinPatterns, maskSecret } from "vigil-secrets-engine";
import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import { StoreInputError, StoreUnchangedError, type AlertPage, type AlertStore } from "../alerts/alert-store.js";
import type { Alert, AlertEvent, Organization, Repository, User } from "../alerts/types.js";
import { formatLocationDetails } from "../api/alert-json.js";
import { parseAlertListQuery } from "../api/alert-list-query.js";
import type { ApiEnv, ApiUrls } from "../api/api-env.js";
import { ApiError, notFound } from "../api/api-error.js";
import { requireScopes } from "../api/authenticate.js";
import { parseAlertUpdate, MAX_RESOLUTION_COMMENT } from "../api/parse-alert-update.js";
import { alertRepositoriesOf, resolveAlertRepository, resolveManagedOrganization } from "../api/repo-access.js";
import { layout, type Html } from "./layout.js";
import { readSession, sameSecret, SESSION_COOKIE, type SignedIn } from "./read-session.js";
import type { WebSessionStore } from "./session-store.js";
import type { ValidityApi } from "../api/validity-routes.js";

export { SESSION_COOKIE } from "./read-session.js";
const LOGIN_CSRF_COOKIE = "vigil_login_csrf";
/** A session lasts a working day; signing out, or revoking the token it came from, ends it sooner. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const ALERT_SCOPES = ["repo", "security_events"] as const;
const CLOSE_REASONS = [
  ["revoked", "Revoked", "The secret has been revoked."],
  ["false_positive", "False positive", "The string is not a secret."],
  ["used_in_tests", "Used in tests", "The secret is only used in tests."],
  ["wont_fix", "Won't fix", "The secret poses no risk, or it is not worth fixing."],
] as const;
const RESOLUTION_NAMES: Record<string, string> = {
  revoked: "revoked",
  false_positive: "false positive",
  used_in_tests: "used in tests",
  wont_fix: "won't fix",
  pattern_edited: "pattern edited",
  pattern_deleted: "pattern deleted",
};
/** Non-provider pattern ids: the "generic" filter lists them by name, the only way the store lists generic alerts. */
const GENERIC_TYPES = builtinPatterns.filter((p) => p.category === "generic").map((p) => p.id);

export interface WebPagesOptions {
  store: AlertStore;
  sessions: WebSessionStore;
  /** Public origin; an `https://` one marks the session cookie Secure. */
  publicUrl?: string;
  /** Validity checks: the alert page's "Verify secret" button (absent: no button). */
  validity?: ValidityApi;
}

/** Paths of the pages (the access matrix and the docs name them). */
export const PAGE_PATHS = {
  home: "/security",
  login: "/login",
  logout: "/logout",
  orgAlerts: "/orgs/:org/security/secret-scanning",
  repoAlerts: "/:owner/:repo/security/secret-scanning",
  alert: "/:owner/:repo/security/secret-scanning/:number",
} as const;

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
                    ${orgs.map((o) => html`<li><a href="/orgs/${o.login}/security/secret-scanning">${o.login}</a></li>`)}
                  </ul>`
            }
            <h2>Repositories</h2>
            ${
              repos.length === 0
                ? html`<p class="muted">You manage no repository's alerts.</p>`
                : html`<ul>
                    ${repos.map((r) => html`<li><a href="/${r.fullName}/security/secret-scanning">${r.fullName}</a></li>`)}
                  </ul>`
            }`,
        ),
      );
    }),
  );

  // --- alert lists ------------------------------------------------------------------------------
  // Registered before the repository list: `/orgs/x/...` is an organization, never a repository named x of an owner `orgs`.
  pages.get(
    PAGE_PATHS.orgAlerts,
    signedIn(async (c, who) => {
      const org = await resolveManagedOrganization(store, who.user, c.req.param("org") ?? "");
      requireScopes(c, ALERT_SCOPES);
      const repos = await alertRepositoriesOf(store, org);
      return alertList(c, who, `Secret scanning alerts · ${org.login}`, new Map(repos.map((r) => [r.id, r])), true);
    }),
  );

  pages.get(
    PAGE_PATHS.repoAlerts,
    signedIn(async (c, who) => {
      const { repo } = await resolveAlertRepository(
        store,
        who.user,
        c.req.param("owner") ?? "",
        c.req.param("repo") ?? "",
      );
      requireScopes(c, ALERT_SCOPES);
      return alertList(c, who, `Secret scanning alerts · ${repo.fullName}`, new Map([[repo.id, repo]]), false);
    }),
  );

  async function alertList(
    c: Context<ApiEnv>,
    who: SignedIn,
    title: string,
    repos: Map<number, Repository>,
    withRepository: boolean,
  ): Promise<Response> {
    const url = new URL(c.req.url);
    const filters = readFilters(url.searchParams);
    const parsed = parseAlertListQuery(filters.apiParams);
    const listing: AlertPage =
      repos.size === 0
        ? { alerts: [], hasNext: false, hasPrevious: false }
        : await store.listAlerts({ ...parsed.query, repoIds: [...repos.keys()] });
    const pageLink = (cursor: "before" | "after", value: string): string => {
      const next = new URLSearchParams(url.searchParams);
      next.delete("before");
      next.delete("after");
      next.set(cursor, value);
      return `${url.pathname}?${next.toString()}`;
    };
    const rows = listing.alerts.map((alert) => {
      const repo = repos.get(alert.repoId)!;
      const loc = alert.firstLocation?.details as { path?: string; startLine?: number } | undefined;
      return html`<tr>
        <td>
          <a href="${alertPath(repo, alert)}">${alert.secretTypeDisplayName}</a><br /><code
            >${maskSecret(alert.secret)}</code
          >
        </td>
        ${withRepository ? html`<td><a href="/${repo.fullName}/security/secret-scanning">${repo.fullName}</a></td>` : ""}
        <td>
          ${loc?.path ? html`<code>${loc.path}:${loc.startLine ?? ""}</code>` : html`<span class="muted">—</span>`}${alert.locationCount > 1 ? html` <span class="muted">+${alert.locationCount - 1}</span>` : ""}
        </td>
        <td>${stateLabel(alert)}</td>
        <td>${alert.validity}</td>
        <td>${alert.provider ?? html`<span class="muted">generic</span>`}</td>
        <td><time datetime="${alert.createdAt}">${day(alert.createdAt)}</time></td>
      </tr>`;
    });
    return c.html(
      page(
        who,
        title,
        html`<h1>${title}</h1>
          ${filterForm(url.pathname, filters.values)}
          <table>
            <caption>
              ${listing.alerts.length === 0 ? "No alerts match these filters." : `Alerts on this page: ${listing.alerts.length}`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Secret</th>
                ${withRepository ? html`<th scope="col">Repository</th>` : ""}
                <th scope="col">First location</th>
                <th scope="col">State</th>
                <th scope="col">Validity</th>
                <th scope="col">Provider</th>
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
          </nav>`,
      ),
    );
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
      const { repo, alert } = await alertOf(c, who);
      const form = await c.req.parseBody();
      const comment = typeof form.comment === "string" && form.comment.trim() !== "" ? form.comment.trim() : null;
      let body: Record<string, unknown>;
      if (form.action === "close")
        body = { state: "resolved", resolution: form.resolution ?? null, resolution_comment: comment };
      else if (form.action === "reopen") body = { state: "open", resolution_comment: comment };
      else if (form.action === "verify") {
        const problem = await verifyProblem(repo, alert);
        if (problem) return alertPage(c, who, repo, alert, problem, 422);
        await options.validity!.checkNow(repo, alert, who.user.id);
        return c.redirect(alertPath(repo, alert), 303);
      } else throw new ApiError(422, "Choose to close or to reopen the alert");
      try {
        const { change } = parseAlertUpdate(body, alert);
        await store.updateAlert(repo.id, alert.number, change, who.user.id);
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
      return c.redirect(alertPath(repo, alert), 303);
    }),
  );

  /** Why "Verify secret" cannot run for this alert, or null. */
  async function verifyProblem(repo: Repository, alert: Alert): Promise<string | null> {
    if (!options.validity || !(await options.validity.store.isEnabled(repo.orgId))) return "Validity checks are not enabled for this organization";
    if (!options.validity.supports(alert.secretType)) return `No validity check exists for secret type ${alert.secretType}`;
    return null;
  }

  async function alertOf(c: Context<ApiEnv>, who: SignedIn): Promise<{ repo: Repository; alert: Alert }> {
    const { repo } = await resolveAlertRepository(
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
    return { repo, alert };
  }

  async function alertPage(
    c: Context<ApiEnv>,
    who: SignedIn,
    repo: Repository,
    alert: Alert,
    problem: string | null,
    status: 200 | 400 | 422,
  ): Promise<Response> {
    const urls = c.get("urls");
    const locations = await store.listLocations(alert.id, { page: 1, perPage: 100 });
    const events = await store.listEvents(alert.id);
    const users = new Map<number, User>();
    for (const id of new Set(
      [...events.map((e) => e.actorId), alert.resolvedBy].filter((id): id is number => id !== null),
    )) {
      const user = await store.getUserById(id);
      if (user) users.set(id, user);
    }
    const title = `${alert.secretTypeDisplayName} · alert #${alert.number}`;
    const lastCheck = options.validity ? await options.validity.store.getCheck(alert.id) : null;
    const canVerify = (await verifyProblem(repo, alert)) === null;
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
          <dl class="facts">
            <dt>Secret</dt>
            <dd><code data-testid="masked-secret">${maskSecret(alert.secret)}</code></dd>
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

  function page(who: SignedIn, title: string, body: Html): Html {
    return layout({ title, user: { login: who.user.login, csrfToken: who.session.csrfToken } }, body);
  }

  return pages;
}

/** The page's filters (GitHub's names) and the API query they become; the page's state defaults to open. */
function readFilters(params: URLSearchParams): { values: Record<string, string>; apiParams: URLSearchParams } {
  const get = (name: string): string => (params.get(name) ?? "").trim();
  const values: Record<string, string> = {
    state: params.has("state") ? get("state") : "open",
    secret_type: get("secret_type"),
    resolution: get("resolution"),
    validity: get("validity"),
    kind: get("kind"),
  };
  const api = new URLSearchParams();
  if (values.state && values.state !== "all") api.set("state", values.state);
  for (const name of ["resolution", "validity"] as const) if (values[name]) api.set(name, values[name]);
  let types = values.secret_type
    ? values.secret_type
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
  if (values.kind === "generic")
    types = types.length > 0 ? types.filter((t) => GENERIC_TYPES.includes(t)) : GENERIC_TYPES;
  else if (values.kind && values.kind !== "provider")
    throw new ApiError(422, `Invalid value for kind: '${values.kind.slice(0, 64)}' is not one of provider, generic`);
  if (values.kind === "generic" && types.length === 0) types = ["-none-"];
  if (types.length > 0) api.set("secret_type", types.join(","));
  api.set("per_page", "25");
  // Cursor pages (index-backed at any depth): the first page asks with an empty `after`.
  const before = params.get("before");
  if (before) api.set("before", before);
  else api.set("after", params.get("after") ?? "");
  return { values, apiParams: api };
}

function filterForm(action: string, values: Record<string, string>): Html {
  const select = (name: string, label: string, options: readonly (readonly [string, string])[]): Html =>
    html`<label
      >${label}<select name="${name}">
        ${options.map(([value, text]) => html`<option value="${value}" ${values[name] === value ? " selected" : ""}>${text}</option>`)}
      </select></label
    >`;
  return html`<form class="filters" method="get" action="${action}" role="search" aria-label="Filter alerts">
    ${select("state", "State", [
      ["open", "Open"],
      ["resolved", "Closed"],
      ["all", "All"],
    ])}
    ${select("resolution", "Closed as", [["", "Any"], ...CLOSE_REASONS.map(([v, l]) => [v, l] as const)])}
    ${select("validity", "Validity", [
      ["", "Any"],
      ["active", "Active"],
      ["inactive", "Inactive"],
      ["unknown", "Unknown"],
    ])}
    ${select("kind", "Patterns", [
      ["", "Provider"],
      ["generic", "Generic"],
    ])}
    <label
      >Secret type<input
        name="secret_type"
        value="${values.secret_type ?? ""}"
        placeholder="e.g. github_personal_access_token"
        size="30"
    /></label>
    <button type="submit">Filter</button>
  </form>`;
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
      return html`<strong>Assigned</strong> by ${who}`;
    case "unassigned":
      return html`<strong>Unassigned</strong> by ${who}`;
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
