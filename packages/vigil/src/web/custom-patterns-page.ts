import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { maskSecret } from "vigil-secrets-engine";
import type { AlertStore } from "../alerts/alert-store.js";
import type { ApiEnv } from "../api/api-env.js";
import { ApiError, notFound } from "../api/api-error.js";
import { requireScopes } from "../api/authenticate.js";
import { resolveAlertRepository, resolveManagedOrganization } from "../api/repo-access.js";
import {
  CUSTOM_PATTERN_LIMITS,
  customPatternTypeId,
  type CustomPattern,
  type CustomPatternStore,
  type ScopeRef,
} from "../custom-patterns/custom-pattern-store.js";
import type { CustomPatternJobs } from "../custom-patterns/custom-pattern-jobs.js";
import { patternProblems } from "../custom-patterns/pattern-problems.js";
import { layout, type Html } from "./layout.js";
import { readSession, sameSecret, type SignedIn } from "./read-session.js";
import type { WebSessionStore } from "./session-store.js";

export interface CustomPatternPagesOptions {
  store: AlertStore;
  sessions: WebSessionStore;
  customPatterns: CustomPatternStore;
  jobs: CustomPatternJobs;
}

/** Paths of the custom-pattern pages (GitHub's settings paths); the access matrix walks them. */
export const CUSTOM_PATTERN_PAGE_PATHS = {
  repo: "/:owner/:repo/settings/security_analysis/custom-patterns",
  repoPattern: "/:owner/:repo/settings/security_analysis/custom-patterns/:pattern_id",
  org: "/orgs/:org/settings/security_analysis/custom-patterns",
  orgPattern: "/orgs/:org/settings/security_analysis/custom-patterns/:pattern_id",
} as const;

interface Scope {
  where: ScopeRef;
  title: string;
  base: string;
}

/**
 * Pages to manage custom patterns of a repository or an organization: the list and a form for a new
 * one (saved unpublished, with a dry run over the repositories it covers), and a pattern's page with
 * its dry run's sample results (masked), publish, push protection and delete. They use the API's
 * access rules and checks; who may not use the API route gets the same 404.
 */
export function mountCustomPatternPages(app: Hono, options: CustomPatternPagesOptions): void {
  const { store, sessions, customPatterns, jobs } = options;
  const pages = app as unknown as Hono<ApiEnv>;

  const scopes: [string, string, (c: Context<ApiEnv>) => Promise<Scope>][] = [
    // The organization's paths first: `/orgs/acme/settings/…` would otherwise be read as repository "orgs/acme".
    [
      CUSTOM_PATTERN_PAGE_PATHS.org,
      CUSTOM_PATTERN_PAGE_PATHS.orgPattern,
      async (c) => {
        const org = await resolveManagedOrganization(store, c.get("user"), c.req.param("org") ?? "");
        requireScopes(c, c.req.method === "GET" ? ["read:org", "write:org", "admin:org"] : ["write:org", "admin:org"]);
        return {
          where: { scope: "organization", orgId: org.id },
          title: org.login,
          base: `/orgs/${org.login}/settings/security_analysis/custom-patterns`,
        };
      },
    ],
    [
      CUSTOM_PATTERN_PAGE_PATHS.repo,
      CUSTOM_PATTERN_PAGE_PATHS.repoPattern,
      async (c) => {
        const { repo } = await resolveAlertRepository(
          store,
          c.get("user"),
          c.req.param("owner") ?? "",
          c.req.param("repo") ?? "",
        );
        requireScopes(c, ["repo", "security_events"]);
        return {
          where: { scope: "repository", repoId: repo.id },
          title: repo.fullName,
          base: `/${repo.fullName}/settings/security_analysis/custom-patterns`,
        };
      },
    ],
  ];

  for (const [listPath, patternPath, resolve] of scopes) {
    pages.get(
      listPath,
      signedIn(async (c, who) => {
        const scope = await resolve(c);
        return c.html(listPage(who, scope, await customPatterns.list(scope.where), null, {}));
      }),
    );

    pages.post(
      listPath,
      signedIn(async (c, who) => {
        const scope = await resolve(c);
        const form = await c.req.parseBody();
        const text = (name: string): string => (typeof form[name] === "string" ? form[name] : "").trim();
        const lines = (name: string): string[] | null => {
          const list = text(name)
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean);
          return list.length > 0 ? list : null;
        };
        const fields = {
          name: text("name"),
          pattern: text("pattern"),
          startDelimiter: text("start_delimiter") || null,
          endDelimiter: text("end_delimiter") || null,
          mustMatch: lines("must_match"),
          mustNotMatch: lines("must_not_match"),
          state: "unpublished" as const,
          pushProtectionEnabled: false,
        };
        const existing = await customPatterns.list(scope.where);
        const problems = patternProblems(fields).map((p) => p.message);
        if (existing.some((p) => p.name.toLowerCase() === fields.name.toLowerCase()))
          problems.push(`name "${fields.name}" is already used by a custom pattern here`);
        if (existing.length >= CUSTOM_PATTERN_LIMITS[scope.where.scope])
          problems.push(`at most ${CUSTOM_PATTERN_LIMITS[scope.where.scope]} custom patterns here`);
        if (problems.length > 0)
          return c.html(listPage(who, scope, existing, problems, { name: fields.name, pattern: fields.pattern }), 422);
        const [created] = await customPatterns.createMany(scope.where, [fields], who.user.id);
        // Saved as a draft, and dry-run at once over every repository it covers (GitHub's "Save and dry run").
        await jobs.dryRun(created!, await jobs.coveredRepositories(created!), who.user.id);
        return c.redirect(`${scope.base}/${created!.id}`, 303);
      }),
    );

    pages.get(
      patternPath,
      signedIn(async (c, who) => {
        const scope = await resolve(c);
        const pattern = await patternOf(c, scope);
        return c.html(await patternPage(who, scope, pattern, null));
      }),
    );

    pages.post(
      patternPath,
      signedIn(async (c, who) => {
        const scope = await resolve(c);
        const pattern = await patternOf(c, scope);
        const form = await c.req.parseBody();
        switch (form.action) {
          case "dry_run":
            await jobs.dryRun(pattern, await jobs.coveredRepositories(pattern), who.user.id);
            break;
          case "publish": {
            if (pattern.state === "published") break;
            const updated = await customPatterns.update(pattern.id, pattern.version, { state: "published" });
            await jobs.backfill(updated, who.user.id);
            break;
          }
          case "push_protection_on":
          case "push_protection_off":
            if (pattern.state !== "published")
              return c.html(
                await patternPage(who, scope, pattern, "Publish the pattern before enabling push protection."),
                422,
              );
            await customPatterns.update(pattern.id, pattern.version, {
              pushProtectionEnabled: form.action === "push_protection_on",
            });
            break;
          case "delete":
            await customPatterns.deleteMany([{ id: pattern.id, version: pattern.version }]);
            await jobs.removeAlerts(pattern, "resolve_alerts");
            return c.redirect(scope.base, 303);
          default:
            throw new ApiError(
              422,
              "Unknown action: use dry_run, publish, push_protection_on, push_protection_off or delete",
            );
        }
        return c.redirect(`${scope.base}/${pattern.id}`, 303);
      }),
    );
  }

  async function patternOf(c: Context<ApiEnv>, scope: Scope): Promise<CustomPattern> {
    const raw = c.req.param("pattern_id") ?? "";
    if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw notFound();
    const pattern = await customPatterns.get(Number(raw));
    const where = scope.where;
    const same =
      pattern !== null &&
      pattern.scope === where.scope &&
      (where.scope !== "repository" || pattern.repoId === where.repoId) &&
      (where.scope !== "organization" || pattern.orgId === where.orgId);
    if (!same) throw notFound();
    return pattern;
  }

  function signedIn(handler: (c: Context<ApiEnv>, who: SignedIn) => Promise<Response>) {
    return async (c: Context<ApiEnv>): Promise<Response> => {
      const who = await readSession(c, store, sessions);
      if (!who) {
        const url = new URL(c.req.url);
        return c.redirect(
          c.req.method === "GET" ? `/login?return_to=${encodeURIComponent(url.pathname)}` : "/login",
          303,
        );
      }
      c.set("user", who.user);
      c.set("token", who.token);
      c.header("Cache-Control", "no-store");
      c.header("X-Frame-Options", "DENY");
      c.header("X-Content-Type-Options", "nosniff");
      c.header(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      try {
        if (c.req.method === "POST") {
          const form = await c.req.parseBody();
          if (!sameSecret(form._csrf, who.session.csrfToken))
            return c.html(
              page(
                who,
                "Form expired",
                html`<h1>Form expired</h1>
                  <p>Reload the page and try again.</p>`,
              ),
              403,
            );
        }
        return await handler(c, who);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const status = error.status === 404 ? 404 : error.status === 403 ? 403 : 422;
        const title = status === 404 ? "Not found" : status === 403 ? "Not allowed" : "That did not work";
        const message = status === 404 ? "This page does not exist, or you do not have access to it." : error.message;
        return c.html(
          page(
            who,
            title,
            html`<h1>${title}</h1>
              <p class="notice error" role="alert">${message}</p>
              <p><a href="/security">Your security overview</a></p>`,
          ),
          status,
        );
      }
    };
  }

  function page(who: SignedIn, title: string, body: Html): Html {
    return layout({ title, user: { login: who.user.login, csrfToken: who.session.csrfToken } }, body);
  }

  function listPage(
    who: SignedIn,
    scope: Scope,
    patterns: CustomPattern[],
    problems: string[] | null,
    values: Record<string, string>,
  ): Html {
    const csrf = who.session.csrfToken;
    return page(
      who,
      `Custom patterns · ${scope.title}`,
      html`<h1>Custom patterns of ${scope.title}</h1>
        ${
          patterns.length === 0
            ? html`<p class="muted">No custom patterns yet.</p>`
            : html`<table>
                <caption>
                  ${patterns.length} of at most ${CUSTOM_PATTERN_LIMITS[scope.where.scope]}
                </caption>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Secret format</th>
                    <th>State</th>
                    <th>Push protection</th>
                  </tr>
                </thead>
                <tbody>
                  ${patterns.map(
                    (p) =>
                      html`<tr>
                        <td><a href="${scope.base}/${p.id}">${p.name}</a></td>
                        <td><code>${p.pattern}</code></td>
                        <td>${p.state}</td>
                        <td>${p.pushProtectionEnabled ? "enabled" : "disabled"}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }
        <h2>New custom pattern</h2>
        ${
          problems
            ? html`<div class="notice error" role="alert">
                <ul>
                  ${problems.map((p) => html`<li>${p}</li>`)}
                </ul>
              </div>`
            : ""
        }
        <form method="post" action="${scope.base}">
          <input type="hidden" name="_csrf" value="${csrf}" />
          <label>Pattern name <input name="name" required maxlength="200" value="${values.name ?? ""}" /></label>
          <label>Secret format (RE2) <input name="pattern" required size="60" value="${values.pattern ?? ""}" /></label>
          <label
            >Before secret (default <code>\\A|[^0-9A-Za-z]</code>) <input name="start_delimiter" size="40"
          /></label>
          <label>After secret (default <code>\\z|[^0-9A-Za-z]</code>) <input name="end_delimiter" size="40" /></label>
          <label>Must match (one regex a line) <textarea name="must_match" rows="2"></textarea></label>
          <label>Must not match (one regex a line) <textarea name="must_not_match" rows="2"></textarea></label>
          <p><button type="submit" class="primary">Save and dry run</button></p>
        </form>`,
    );
  }

  async function patternPage(
    who: SignedIn,
    scope: Scope,
    pattern: CustomPattern,
    problem: string | null,
  ): Promise<Html> {
    const csrf = who.session.csrfToken;
    const run = await customPatterns.latestDryRun(pattern.id);
    const action = (value: string, label: string, kind = "") =>
      html`<form method="post" action="${scope.base}/${pattern.id}" style="display:inline">
        <input type="hidden" name="_csrf" value="${csrf}" /><input type="hidden" name="action" value="${value}" />
        <button type="submit" class="${kind}">${label}</button>
      </form>`;
    return page(
      who,
      `${pattern.name} · custom pattern`,
      html`<h1>${pattern.name}</h1>
        ${problem ? html`<p class="notice error" role="alert">${problem}</p>` : ""}
        <dl class="facts">
          <dt>Secret format</dt>
          <dd><code>${pattern.pattern}</code></dd>
          <dt>Before / after</dt>
          <dd>
            <code>${pattern.startDelimiter ?? "\\A|[^0-9A-Za-z]"}</code> /
            <code>${pattern.endDelimiter ?? "\\z|[^0-9A-Za-z]"}</code>
          </dd>
          <dt>Must match</dt>
          <dd>${(pattern.mustMatch ?? []).map((m) => html`<code>${m}</code> `)}</dd>
          <dt>Must not match</dt>
          <dd>${(pattern.mustNotMatch ?? []).map((m) => html`<code>${m}</code> `)}</dd>
          <dt>State</dt>
          <dd data-testid="state">${pattern.state}</dd>
          <dt>Push protection</dt>
          <dd data-testid="push-protection">${pattern.pushProtectionEnabled ? "enabled" : "disabled"}</dd>
          <dt>Alerts</dt>
          <dd>secret type <code>${customPatternTypeId(pattern.id)}</code></dd>
        </dl>
        <p>
          ${action("dry_run", "Dry run again")}
          ${pattern.state === "unpublished" ? action("publish", "Publish pattern", "primary") : ""}
          ${pattern.state === "published" ? action(pattern.pushProtectionEnabled ? "push_protection_off" : "push_protection_on", pattern.pushProtectionEnabled ? "Disable push protection" : "Enable push protection") : ""}
          ${action("delete", "Delete (close its alerts as pattern deleted)", "danger")}
        </p>
        <h2>Dry run</h2>
        ${
          !run
            ? html`<p class="muted">No dry run yet.</p>`
            : html`<p data-testid="dry-run-status">
                  ${run.status === "completed" ? `${run.resultCount} results` : run.status === "failed" ? `failed: ${run.error ?? ""}` : `${run.status.replace("_", " ")}: reload to see the results`}
                  ${run.resultCount > run.results.length ? html` (showing the first ${run.results.length})` : ""}
                </p>
                ${
                  run.results.length > 0
                    ? html`<table>
                        <thead>
                          <tr>
                            <th>Repository</th>
                            <th>Location</th>
                            <th>Secret</th>
                          </tr>
                        </thead>
                        <tbody>
                          ${run.results.map(
                            (r) =>
                              html`<tr>
                                <td>${r.repository}</td>
                                <td>
                                  <code>${r.path}:${r.startLine}</code>
                                  <span class="muted">${r.commitSha.slice(0, 7)}</span>
                                </td>
                                <td><code>${maskSecret(r.secret)}</code></td>
                              </tr>`,
                          )}
                        </tbody>
                      </table>`
                    : ""
                }`
        }
        <p><a href="${scope.base}">All custom patterns of ${scope.title}</a></p>`,
    );
  }
}
