import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenScope } from "../alerts/alert-store.js";
import { openStore, type OpenedStore } from "../store/index.js";
import { detection } from "../test-support/api-fixture.js";
import { createServer, type VigilServer } from "./create-server.js";
import { scanRepositoryHistory } from "./scan-repository-history.js";

/**
 * The standing access matrix: EVERY route the server's Hono router holds (the API under /api/v3,
 * git smart HTTP, pages) against every kind of caller, asserting the documented answer: 401 without
 * or with a bad token, 404 for a caller who may not know the resource exists, 403 for a token
 * missing the route's scope (after access is established), 2xx (or the declared answer) otherwise.
 *
 * The routes come from the router itself (`app.routes`), so a route added later is walked by
 * construction; a route without an entry in ACCESS below fails the test. ADDING A ROUTE takes ONE
 * line in ACCESS, keyed "METHOD /path/as/registered":
 *
 *     "GET /api/v3/repos/:owner/:repo/hooks": { who: "alert-manager", scopes: ["admin:repo_hook"] },
 *
 * `who` is the resource the route belongs to, i.e. who gets past 404 (see WHO); `scopes` the
 * classic scopes of which the token needs one (omit for none); `body` a JSON body (a function of a
 * counter when each call must differ); `ok` the statuses an allowed caller gets when not 2xx (e.g.
 * 404 for an unknown placeholder, with `okMessage`). Path parameters are filled from PARAMS; a route
 * with another parameter gives `url`. One route may expand to several probes (an array).
 *
 * WEB PAGES (`page: true`) are called with a session cookie, got by signing in at /login with the
 * caller's token (the real form, CSRF included), never with an Authorization header; their forms
 * post `form` with the session's CSRF token. A caller without a session (anonymous, bad token) is
 * answered 303 to /login instead of 401; a 303 an allowed caller gets (`ok: [303]`) must lead
 * elsewhere. `freshSession` signs in anew for each call (sign-out ends the session). The sign-in
 * form itself is `login: true`: its POST carries the caller's token, so 401 is a bad or no token.
 */
type Who =
  | "anyone"
  | "user"
  | "repo-member"
  | "repo-writer"
  | "repo-admin"
  | "alert-manager"
  | "org-manager"
  | "org-owner"
  | "site-admin";
type CallerName =
  | "anonymous"
  | "badToken"
  | "outsider"
  | "reader"
  | "writer"
  | "repoAdmin"
  | "securityManager"
  | "owner"
  | "scopeless"
  | "siteAdmin";

interface Probe {
  who: Who;
  scopes?: readonly TokenScope[];
  url?: string | (() => string | Promise<string>);
  body?: unknown;
  /** Statuses an allowed caller gets, when not 2xx. */
  ok?: readonly number[];
  okMessage?: RegExp;
  /** Each call gets a repository of its own (with acme/api's roles), for routes that destroy it. */
  freshRepo?: boolean;
  /** Raw body and content type instead of JSON (git). */
  raw?: { body: string; type: string };
  /** A web page: called with the caller's session cookie (see above). */
  page?: boolean;
  /** The page's form fields (the CSRF token is added). */
  form?: Record<string, string>;
  freshSession?: boolean;
  /** The sign-in form: posts the caller's token. */
  login?: boolean;
}

const ALERTS: readonly TokenScope[] = ["repo", "security_events"];
let counter = 0;
const unique = (): number => ++counter;

/** The custom patterns the matrix acts on (made in beforeAll): per scope, one to change and a pool to delete. */
const customPatterns = {
  repository: { base: "/api/v3/repos/acme/api/secret-scanning/custom-patterns", id: 0, version: "", pool: [] as number[] },
  organization: { base: "/api/v3/orgs/acme/secret-scanning/custom-patterns", id: 0, version: "", pool: [] as number[] },
  enterprise: { base: "/api/v3/enterprises/vigil/secret-scanning/custom-patterns", id: 0, version: "", pool: [] as number[] },
};
/** An enterprise pattern another enterprise owner created: only its creator edits it or dry-runs it (GitHub's rule), so site-admin is 403. */
const othersEnterprisePattern = { id: 0, version: "" };
const othersCpUrl = (tail = "") => () => `${customPatterns.enterprise.base}/${othersEnterprisePattern.id}${tail}`;
const notCreator = { who: "site-admin", scopes: ["admin:enterprise"], ok: [403], okMessage: /only the creator/i } as const;
type CpScope = keyof typeof customPatterns;
const cpUrl = (scope: CpScope, tail = "") => () => `${customPatterns[scope].base}/${customPatterns[scope].id}${tail}`;
const cpCreate = (scope: CpScope) => () => ({ patterns: [{ name: `matrix new ${scope} ${unique()}`, pattern: "mx_[a-z0-9]{20}", state: "unpublished" }] });
// Changing only the state keeps the version: every caller's PATCH carries the current one.
const cpPatch = (scope: CpScope) => () => ({ custom_pattern_version: customPatterns[scope].version, state: "unpublished" });
const cpDelete = (scope: CpScope) => () => ({ patterns: [{ pattern_id: customPatterns[scope].pool.pop() }] });
const ORG_READ: readonly TokenScope[] = ["read:org", "write:org", "admin:org"];
const ORG_WRITE: readonly TokenScope[] = ["write:org", "admin:org"];

const ACCESS: Record<string, Probe | Probe[]> = {
  "GET /": { who: "anyone" },
  "GET /healthz": { who: "anyone" },
  "GET /readyz": { who: "anyone" },
  "GET /metrics": { who: "site-admin", scopes: ["site_admin"] },
  "GET /api/v3/user": { who: "user" },
  "GET /api/v3/repos/:owner/:repo/secret-scanning/alerts": { who: "alert-manager", scopes: ALERTS },
  "GET /api/v3/repos/:owner/:repo/secret-scanning/alerts/:number": { who: "alert-manager", scopes: ALERTS },
  "PATCH /api/v3/repos/:owner/:repo/secret-scanning/alerts/:number": {
    who: "alert-manager",
    scopes: ALERTS,
    body: { assignee: null },
  },
  "GET /api/v3/repos/:owner/:repo/secret-scanning/alerts/:number/locations": { who: "alert-manager", scopes: ALERTS },
  "GET /api/v3/repos/:owner/:repo/secret-scanning/alerts/:number/validity": { who: "alert-manager", scopes: ALERTS },
  "POST /api/v3/repos/:owner/:repo/secret-scanning/alerts/:number/validity": { who: "alert-manager", scopes: ALERTS, ok: [422], okMessage: /not enabled for this organization/ },
  "GET /api/v3/repos/:owner/:repo/secret-scanning/scan-history": { who: "alert-manager", scopes: ALERTS },
  "GET /api/v3/orgs/:org/secret-scanning/alerts": { who: "org-manager", scopes: ALERTS },
  "GET /api/v3/enterprises/:enterprise/secret-scanning/alerts": { who: "alert-manager", scopes: ALERTS },
  "POST /api/v3/orgs/:org/repos": { who: "org-owner", scopes: ["repo"], body: () => ({ name: `matrix-${unique()}` }) },
  "GET /api/v3/repos/:owner/:repo": { who: "repo-member" },
  "PATCH /api/v3/repos/:owner/:repo": { who: "alert-manager", scopes: ["repo"], body: {} },
  "PATCH /api/v3/orgs/:org": { who: "org-owner", scopes: ["admin:org", "write:org"], body: {} },
  "POST /api/v3/repos/:owner/:repo/secret-scanning/push-protection-bypasses": {
    who: "repo-member",
    scopes: ["repo"],
    body: { reason: "used_in_tests", placeholder_id: "unknown" },
    ok: [404],
    okMessage: /Placeholder ID not found/,
  },
  "GET /api/v3/orgs/:org/secret-scanning/pattern-configurations": {
    who: "org-manager",
    scopes: ["read:org", "write:org", "admin:org"],
  },
  "PATCH /api/v3/orgs/:org/secret-scanning/pattern-configurations": {
    who: "org-manager",
    scopes: ["write:org", "admin:org"],
    body: { provider_pattern_settings: [] },
  },
  "GET /api/v3/enterprises/:enterprise/secret-scanning/pattern-configurations": {
    who: "site-admin",
    scopes: ["admin:enterprise"],
  },
  "PATCH /api/v3/enterprises/:enterprise/secret-scanning/pattern-configurations": {
    who: "site-admin",
    scopes: ["admin:enterprise"],
    body: { provider_pattern_settings: [] },
  },
  "GET /api/v3/repos/:owner/:repo/secret-scanning/custom-patterns": { who: "alert-manager", scopes: ALERTS },
  "POST /api/v3/repos/:owner/:repo/secret-scanning/custom-patterns": { who: "alert-manager", scopes: ALERTS, body: cpCreate("repository") },
  "DELETE /api/v3/repos/:owner/:repo/secret-scanning/custom-patterns": { who: "alert-manager", scopes: ALERTS, body: cpDelete("repository") },
  "PATCH /api/v3/repos/:owner/:repo/secret-scanning/custom-patterns/:pattern_id": { who: "alert-manager", scopes: ALERTS, url: cpUrl("repository"), body: cpPatch("repository") },
  "POST /api/v3/repos/:owner/:repo/secret-scanning/custom-patterns/:pattern_id/dry-runs": { who: "alert-manager", scopes: ALERTS, url: cpUrl("repository", "/dry-runs"), body: {} },
  "GET /api/v3/repos/:owner/:repo/secret-scanning/custom-patterns/:pattern_id/dry-runs/latest": { who: "alert-manager", scopes: ALERTS, url: cpUrl("repository", "/dry-runs/latest") },
  "GET /api/v3/orgs/:org/secret-scanning/custom-patterns": { who: "org-manager", scopes: ORG_READ },
  "POST /api/v3/orgs/:org/secret-scanning/custom-patterns": { who: "org-manager", scopes: ORG_WRITE, body: cpCreate("organization") },
  "DELETE /api/v3/orgs/:org/secret-scanning/custom-patterns": { who: "org-manager", scopes: ORG_WRITE, body: cpDelete("organization") },
  "PATCH /api/v3/orgs/:org/secret-scanning/custom-patterns/:pattern_id": { who: "org-manager", scopes: ORG_WRITE, url: cpUrl("organization"), body: cpPatch("organization") },
  "POST /api/v3/orgs/:org/secret-scanning/custom-patterns/:pattern_id/dry-runs": { who: "org-manager", scopes: ORG_WRITE, url: cpUrl("organization", "/dry-runs"), body: {} },
  "GET /api/v3/orgs/:org/secret-scanning/custom-patterns/:pattern_id/dry-runs/latest": { who: "org-manager", scopes: ORG_READ, url: cpUrl("organization", "/dry-runs/latest") },
  "GET /api/v3/enterprises/:enterprise/secret-scanning/custom-patterns": { who: "site-admin", scopes: ["admin:enterprise"] },
  "POST /api/v3/enterprises/:enterprise/secret-scanning/custom-patterns": { who: "site-admin", scopes: ["admin:enterprise"], body: cpCreate("enterprise") },
  "DELETE /api/v3/enterprises/:enterprise/secret-scanning/custom-patterns": { who: "site-admin", scopes: ["admin:enterprise"], body: cpDelete("enterprise") },
  "PATCH /api/v3/enterprises/:enterprise/secret-scanning/custom-patterns/:pattern_id": [{ who: "site-admin", scopes: ["admin:enterprise"], url: cpUrl("enterprise"), body: cpPatch("enterprise") }, { ...notCreator, url: othersCpUrl(), body: () => ({ custom_pattern_version: othersEnterprisePattern.version, state: "unpublished" }) }],
  "POST /api/v3/enterprises/:enterprise/secret-scanning/custom-patterns/:pattern_id/dry-runs": [{ who: "site-admin", scopes: ["admin:enterprise"], url: cpUrl("enterprise", "/dry-runs"), body: {} }, { ...notCreator, url: othersCpUrl("/dry-runs"), body: {} }],
  "GET /api/v3/enterprises/:enterprise/secret-scanning/custom-patterns/:pattern_id/dry-runs/latest": [{ who: "site-admin", scopes: ["admin:enterprise"], url: cpUrl("enterprise", "/dry-runs/latest") }, { ...notCreator, url: othersCpUrl("/dry-runs/latest") }],
  "GET /:owner/:repo/settings/security_analysis/custom-patterns": { who: "alert-manager", scopes: ALERTS, page: true },
  "POST /:owner/:repo/settings/security_analysis/custom-patterns": { who: "alert-manager", scopes: ALERTS, page: true, form: { name: "matrix page pattern", pattern: "mp_[a-z0-9]{20}" }, ok: [303, 422] },
  "GET /:owner/:repo/settings/security_analysis/custom-patterns/:pattern_id": { who: "alert-manager", scopes: ALERTS, page: true, url: () => `/acme/api/settings/security_analysis/custom-patterns/${customPatterns.repository.id}` },
  "POST /:owner/:repo/settings/security_analysis/custom-patterns/:pattern_id": { who: "alert-manager", scopes: ALERTS, page: true, url: () => `/acme/api/settings/security_analysis/custom-patterns/${customPatterns.repository.id}`, form: { action: "dry_run" }, ok: [303] },
  "GET /orgs/:org/settings/security_analysis/custom-patterns": { who: "org-manager", scopes: ORG_READ, page: true },
  "POST /orgs/:org/settings/security_analysis/custom-patterns": { who: "org-manager", scopes: ORG_WRITE, page: true, form: { name: "matrix page pattern", pattern: "mp_[a-z0-9]{20}" }, ok: [303, 422] },
  "GET /orgs/:org/settings/security_analysis/custom-patterns/:pattern_id": { who: "org-manager", scopes: ORG_READ, page: true, url: () => `/orgs/acme/settings/security_analysis/custom-patterns/${customPatterns.organization.id}` },
  "POST /orgs/:org/settings/security_analysis/custom-patterns/:pattern_id": { who: "org-manager", scopes: ORG_WRITE, page: true, url: () => `/orgs/acme/settings/security_analysis/custom-patterns/${customPatterns.organization.id}`, form: { action: "dry_run" }, ok: [303] },
  "GET /api/v3/orgs/:org/secret-scanning/push-protection-metrics": { who: "org-manager", scopes: ALERTS },
  "GET /api/v3/repos/:owner/:repo/secret-scanning/push-protection-metrics": { who: "alert-manager", scopes: ALERTS },
  "POST /api/v3/repos/:owner/:repo/secret-scanning/content": {
    who: "alert-manager",
    scopes: ALERTS,
    body: { items: [{ type: "content", details: { url: "https://ci.example/jobs/1/log" }, text: "nothing here" }] },
  },
  "DELETE /api/v3/repos/:owner/:repo": { who: "repo-admin", scopes: ["delete_repo"], freshRepo: true },
  "GET /api/v3/repos/:owner/:repo/git/blobs/:sha": {
    who: "repo-member",
    scopes: ["repo"],
    url: `/api/v3/repos/acme/api/git/blobs/${"0".repeat(40)}`,
    ok: [404],
  },
  "GET /api/v3/repos/:owner/:repo/git/commits/:sha": {
    who: "repo-member",
    scopes: ["repo"],
    url: `/api/v3/repos/acme/api/git/commits/${"0".repeat(40)}`,
    ok: [404],
  },
  "GET /api/v3/users/:username": { who: "user", url: "/api/v3/users/acme" },
  // Web pages (`web/pages.ts`): sessions from /login; anonymous callers are sent there (303).
  "GET /login": { who: "anyone" },
  "POST /login": { who: "user", login: true, ok: [303] },
  "POST /logout": { who: "user", page: true, freshSession: true, ok: [303] },
  "GET /security": { who: "user", page: true },
  "GET /orgs/:org/security/secret-scanning": { who: "org-manager", scopes: ALERTS, page: true },
  "GET /:owner/:repo/security/secret-scanning": { who: "alert-manager", scopes: ALERTS, page: true },
  "GET /:owner/:repo/security/secret-scanning/:number": { who: "alert-manager", scopes: ALERTS, page: true },
  "POST /:owner/:repo/security/secret-scanning/:number": {
    who: "alert-manager",
    scopes: ALERTS,
    page: true,
    form: { action: "reopen" },
    ok: [303],
  },
  "POST /orgs/:org/security/secret-scanning": { who: "org-manager", scopes: ALERTS, page: true, form: { alert: "acme/api#404", resolution: "revoked" }, ok: [422] },
  "GET /enterprises/:enterprise/security/secret-scanning": { who: "alert-manager", scopes: ALERTS, page: true },
  "POST /enterprises/:enterprise/security/secret-scanning": { who: "alert-manager", scopes: ALERTS, page: true, form: { alert: "acme/api#404", resolution: "revoked" }, ok: [422] },
  "POST /:owner/:repo/security/secret-scanning": { who: "alert-manager", scopes: ALERTS, page: true, form: { alert: "acme/api#404", resolution: "revoked" }, ok: [422] },
  "GET /orgs/:org/security/overview": { who: "org-manager", scopes: ALERTS, page: true },
  "GET /orgs/:org/security/push-protection": { who: "org-manager", scopes: ALERTS, page: true },
  "GET /orgs/:org/security/reviews": { who: "org-manager", scopes: ALERTS, page: true },
  "POST /orgs/:org/security/reviews": { who: "org-manager", scopes: ALERTS, page: true, form: { kind: "bypass", repo: "api", number: "999", decision: "approved", message: "ok" }, ok: [404] },
  "GET /orgs/:org/settings/security": { who: "org-manager", scopes: ["read:org", "write:org", "admin:org"], page: true },
  "POST /orgs/:org/settings/security": { who: "org-manager", scopes: ["write:org", "admin:org"], page: true, form: { action: "patterns" }, ok: [303] },
  "GET /:owner/:repo/settings/security": { who: "alert-manager", scopes: ["repo"], page: true },
  "POST /:owner/:repo/settings/security": { who: "alert-manager", scopes: ["repo"], page: true, form: { secret_scanning: "on", push_protection: "on" }, ok: [303] },
  "GET /api/v3/repos/:owner/:repo/bypass-requests/secret-scanning": { who: "alert-manager", scopes: ALERTS },
  "GET /api/v3/orgs/:org/bypass-requests/secret-scanning": { who: "org-manager", scopes: ALERTS },
  "GET /api/v3/enterprises/:enterprise/bypass-requests/secret-scanning": { who: "alert-manager", scopes: ALERTS },
  "GET /api/v3/repos/:owner/:repo/bypass-requests/secret-scanning/:number": { who: "alert-manager", scopes: ALERTS, ok: [404] },
  "PATCH /api/v3/repos/:owner/:repo/bypass-requests/secret-scanning/:number": { who: "alert-manager", scopes: ALERTS, body: { status: "approve", message: "ok" }, ok: [404] },
  "DELETE /api/v3/repos/:owner/:repo/bypass-responses/secret-scanning/:id": { who: "alert-manager", scopes: ALERTS, ok: [404] },
  "GET /api/v3/repos/:owner/:repo/dismissal-requests/secret-scanning": { who: "alert-manager", scopes: ALERTS },
  "GET /api/v3/orgs/:org/dismissal-requests/secret-scanning": { who: "org-manager", scopes: ALERTS },
  "GET /api/v3/enterprises/:enterprise/dismissal-requests/secret-scanning": { who: "alert-manager", scopes: ALERTS },
  "GET /api/v3/repos/:owner/:repo/dismissal-requests/secret-scanning/:number": { who: "alert-manager", scopes: ALERTS, ok: [404] },
  "PATCH /api/v3/repos/:owner/:repo/dismissal-requests/secret-scanning/:number": { who: "alert-manager", scopes: ALERTS, body: { status: "deny", message: "no" }, ok: [404] },
  "GET /api/v3/vigil/tokens": { who: "user", scopes: ["user"] },
  // Another user's token is 404 to everyone but a site admin: the id is a spare token of the site admin's.
  "GET /api/v3/vigil/tokens/:id": {
    who: "site-admin",
    scopes: ["user"],
    url: () => `/api/v3/vigil/tokens/${spareTokenId}`,
  },
  "DELETE /api/v3/vigil/tokens/:id": {
    who: "site-admin",
    scopes: ["user"],
    url: () => `/api/v3/vigil/tokens/${spareTokenId}`,
  },
  // Token issuers Vigil reports to: site administrators only (404 to others, 403 without site_admin).
  "GET /api/v3/admin/secret-scanning/partners": { who: "site-admin", scopes: ["site_admin"] },
  "POST /api/v3/admin/secret-scanning/partners": {
    who: "site-admin",
    scopes: ["site_admin"],
    body: () => ({
      name: `matrix-${unique()}`,
      url: "https://issuer.example/report",
      secret_types: ["pypi_api_token"],
    }),
  },
  "DELETE /api/v3/admin/secret-scanning/partners/:name": {
    who: "site-admin",
    scopes: ["site_admin"],
    url: "/api/v3/admin/secret-scanning/partners/no-such-partner",
    ok: [404],
  },
  "POST /api/v3/admin/secret-scanning/partner-keys": { who: "site-admin", scopes: ["site_admin"] },
  // Background jobs and dead letters: site administrators only. Job ids are unknown (404 once past access).
  "GET /api/v3/vigil/jobs": { who: "site-admin", scopes: ["site_admin"] },
  "GET /api/v3/vigil/jobs/:job_id": { who: "site-admin", scopes: ["site_admin"], url: "/api/v3/vigil/jobs/999999", ok: [404] },
  "POST /api/v3/vigil/jobs/:job_id/retry": { who: "site-admin", scopes: ["site_admin"], url: "/api/v3/vigil/jobs/999999/retry", ok: [404] },
  // Public, as on GitHub: partners verify Vigil's reports with these keys.
  "GET /api/v3/meta/public_keys/secret_scanning": { who: "anyone" },
  "GET /meta/public_keys/secret_scanning": { who: "anyone" },
  // A forge's deliveries are authenticated by their signature, not a token: unsigned is 401 for everyone.
  "POST /webhooks/forge": { who: "anyone", body: { action: "opened" }, ok: [401] },
  // Webhooks: repository admins (scope admin:repo_hook or repo), organization owners (admin:org_hook),
  // site administrators for instance hooks (site_admin or admin:enterprise). Hook ids are fixtures;
  // a DELETE gets a hook of its own; delivery ids are unknown (404 once past access).
  "GET /api/v3/repos/:owner/:repo/hooks": { who: "repo-admin", scopes: ["admin:repo_hook", "repo"] },
  "POST /api/v3/repos/:owner/:repo/hooks": {
    who: "repo-admin",
    scopes: ["admin:repo_hook", "repo"],
    body: { config: { url: "https://hooks.example/receiver", content_type: "json" } },
  },
  "GET /api/v3/repos/:owner/:repo/hooks/:hook_id": {
    who: "repo-admin",
    scopes: ["admin:repo_hook", "repo"],
    url: () => `/api/v3/repos/acme/api/hooks/${hookIds.repo}`,
  },
  "PATCH /api/v3/repos/:owner/:repo/hooks/:hook_id": {
    who: "repo-admin",
    scopes: ["admin:repo_hook", "repo"],
    url: () => `/api/v3/repos/acme/api/hooks/${hookIds.repo}`,
    body: { active: true },
  },
  "DELETE /api/v3/repos/:owner/:repo/hooks/:hook_id": {
    who: "repo-admin",
    scopes: ["admin:repo_hook", "repo"],
    url: async () => `/api/v3/repos/acme/api/hooks/${await freshHook("repo")}`,
  },
  "POST /api/v3/repos/:owner/:repo/hooks/:hook_id/pings": {
    who: "repo-admin",
    scopes: ["admin:repo_hook", "repo"],
    url: () => `/api/v3/repos/acme/api/hooks/${hookIds.repo}/pings`,
  },
  "GET /api/v3/repos/:owner/:repo/hooks/:hook_id/deliveries": {
    who: "repo-admin",
    scopes: ["admin:repo_hook", "repo"],
    url: () => `/api/v3/repos/acme/api/hooks/${hookIds.repo}/deliveries`,
  },
  "GET /api/v3/repos/:owner/:repo/hooks/:hook_id/deliveries/:delivery_id": {
    who: "repo-admin",
    scopes: ["admin:repo_hook", "repo"],
    url: () => `/api/v3/repos/acme/api/hooks/${hookIds.repo}/deliveries/999999`,
    ok: [404],
  },
  "POST /api/v3/repos/:owner/:repo/hooks/:hook_id/deliveries/:delivery_id/attempts": {
    who: "repo-admin",
    scopes: ["admin:repo_hook", "repo"],
    url: () => `/api/v3/repos/acme/api/hooks/${hookIds.repo}/deliveries/999999/attempts`,
    ok: [404],
  },
  "GET /api/v3/orgs/:org/hooks": { who: "org-owner", scopes: ["admin:org_hook"] },
  "POST /api/v3/orgs/:org/hooks": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    body: { config: { url: "https://hooks.example/receiver", content_type: "json" } },
  },
  "GET /api/v3/orgs/:org/hooks/:hook_id": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    url: () => `/api/v3/orgs/acme/hooks/${hookIds.org}`,
  },
  "PATCH /api/v3/orgs/:org/hooks/:hook_id": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    url: () => `/api/v3/orgs/acme/hooks/${hookIds.org}`,
    body: { active: true },
  },
  "DELETE /api/v3/orgs/:org/hooks/:hook_id": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    url: async () => `/api/v3/orgs/acme/hooks/${await freshHook("org")}`,
  },
  "POST /api/v3/orgs/:org/hooks/:hook_id/pings": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    url: () => `/api/v3/orgs/acme/hooks/${hookIds.org}/pings`,
  },
  "GET /api/v3/orgs/:org/hooks/:hook_id/deliveries": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    url: () => `/api/v3/orgs/acme/hooks/${hookIds.org}/deliveries`,
  },
  "GET /api/v3/orgs/:org/hooks/:hook_id/deliveries/:delivery_id": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    url: () => `/api/v3/orgs/acme/hooks/${hookIds.org}/deliveries/999999`,
    ok: [404],
  },
  "POST /api/v3/orgs/:org/hooks/:hook_id/deliveries/:delivery_id/attempts": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    url: () => `/api/v3/orgs/acme/hooks/${hookIds.org}/deliveries/999999/attempts`,
    ok: [404],
  },
  "GET /api/v3/admin/hooks": { who: "site-admin", scopes: ["site_admin", "admin:enterprise"] },
  "POST /api/v3/admin/hooks": {
    who: "site-admin",
    scopes: ["site_admin", "admin:enterprise"],
    body: { config: { url: "https://hooks.example/receiver", content_type: "json" } },
  },
  "GET /api/v3/admin/hooks/:hook_id": {
    who: "site-admin",
    scopes: ["site_admin", "admin:enterprise"],
    url: () => `/api/v3/admin/hooks/${hookIds.instance}`,
  },
  "PATCH /api/v3/admin/hooks/:hook_id": {
    who: "site-admin",
    scopes: ["site_admin", "admin:enterprise"],
    url: () => `/api/v3/admin/hooks/${hookIds.instance}`,
    body: { active: true },
  },
  "DELETE /api/v3/admin/hooks/:hook_id": {
    who: "site-admin",
    scopes: ["site_admin", "admin:enterprise"],
    url: async () => `/api/v3/admin/hooks/${await freshHook("instance")}`,
  },
  "POST /api/v3/admin/hooks/:hook_id/pings": {
    who: "site-admin",
    scopes: ["site_admin", "admin:enterprise"],
    url: () => `/api/v3/admin/hooks/${hookIds.instance}/pings`,
  },
  "GET /api/v3/admin/hooks/:hook_id/deliveries": {
    who: "site-admin",
    scopes: ["site_admin", "admin:enterprise"],
    url: () => `/api/v3/admin/hooks/${hookIds.instance}/deliveries`,
  },
  "GET /api/v3/admin/hooks/:hook_id/deliveries/:delivery_id": {
    who: "site-admin",
    scopes: ["site_admin", "admin:enterprise"],
    url: () => `/api/v3/admin/hooks/${hookIds.instance}/deliveries/999999`,
    ok: [404],
  },
  "POST /api/v3/admin/hooks/:hook_id/deliveries/:delivery_id/attempts": {
    who: "site-admin",
    scopes: ["site_admin", "admin:enterprise"],
    url: () => `/api/v3/admin/hooks/${hookIds.instance}/deliveries/999999/attempts`,
    ok: [404],
  },
  // Notification sinks (Vigil's extension): organization owners, admin:org_hook.
  "GET /api/v3/orgs/:org/notification-sinks": { who: "org-owner", scopes: ["admin:org_hook"] },
  "POST /api/v3/orgs/:org/notification-sinks": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    body: { type: "json", url: "https://hooks.example/sink" },
  },
  "GET /api/v3/orgs/:org/notification-sinks/:sink_id": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    url: () => `/api/v3/orgs/acme/notification-sinks/${hookIds.sink}`,
  },
  "PATCH /api/v3/orgs/:org/notification-sinks/:sink_id": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    url: () => `/api/v3/orgs/acme/notification-sinks/${hookIds.sink}`,
    body: { active: true },
  },
  "DELETE /api/v3/orgs/:org/notification-sinks/:sink_id": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    url: async () => `/api/v3/orgs/acme/notification-sinks/${await freshHook("sink")}`,
  },
  "GET /api/v3/orgs/:org/notification-sinks/:sink_id/deliveries": {
    who: "org-owner",
    scopes: ["admin:org_hook"],
    url: () => `/api/v3/orgs/acme/notification-sinks/${hookIds.sink}/deliveries`,
  },
  // Remediation campaigns (Vigil's extension): owners and security managers; the forge connection and auto-remediation switches, owners.
  "GET /api/v3/orgs/:org/secret-scanning/campaigns": { who: "org-manager", scopes: ALERTS },
  "POST /api/v3/orgs/:org/secret-scanning/campaigns": { who: "org-manager", scopes: ALERTS, body: () => ({ name: `matrix-${unique()}` }) },
  "GET /api/v3/orgs/:org/secret-scanning/campaigns/:campaign_number": { who: "org-manager", scopes: ALERTS, url: () => campaignUrl("") },
  "PATCH /api/v3/orgs/:org/secret-scanning/campaigns/:campaign_number": { who: "org-manager", scopes: ALERTS, url: () => campaignUrl(""), body: { description: "matrix" } },
  "DELETE /api/v3/orgs/:org/secret-scanning/campaigns/:campaign_number": { who: "org-manager", scopes: ALERTS, url: () => campaignUrl("") },
  "GET /api/v3/orgs/:org/secret-scanning/campaigns/:campaign_number/progress": { who: "org-manager", scopes: ALERTS, url: () => campaignUrl("/progress") },
  "GET /api/v3/orgs/:org/secret-scanning/campaigns/:campaign_number/export": { who: "org-manager", scopes: ALERTS, url: () => campaignUrl("/export?format=csv") },
  "GET /api/v3/orgs/:org/secret-scanning/campaigns/:campaign_number/outreach": { who: "org-manager", scopes: ALERTS, url: () => campaignUrl("/outreach") },
  "POST /api/v3/orgs/:org/secret-scanning/campaigns/:campaign_number/outreach": { who: "org-manager", scopes: ALERTS, url: async () => (await forgeConnectionUrl(), campaignUrl("/outreach")) },
  "POST /api/v3/orgs/:org/secret-scanning/campaigns/:campaign_number/remediate": { who: "org-manager", scopes: ALERTS, url: () => campaignUrl("/remediate") },
  "GET /api/v3/orgs/:org/secret-scanning/playbooks/:secret_type": { who: "org-manager", scopes: ALERTS },
  "PUT /api/v3/orgs/:org/secret-scanning/playbooks/:secret_type": { who: "org-manager", scopes: ALERTS, body: { body: "Revoke it, then close the alert." } },
  "DELETE /api/v3/orgs/:org/secret-scanning/playbooks/:secret_type": { who: "org-manager", scopes: ALERTS },
  "GET /api/v3/orgs/:org/secret-scanning/remediation": { who: "org-manager", scopes: ALERTS },
  "GET /api/v3/orgs/:org/secret-scanning/auto-remediation": { who: "org-manager", scopes: ALERTS },
  "PUT /api/v3/orgs/:org/secret-scanning/auto-remediation/:secret_type": { who: "org-owner", scopes: ["admin:org"], body: { enabled: false } },
  "POST /api/v3/repos/:owner/:repo/secret-scanning/alerts/:number/remediate": { who: "alert-manager", scopes: ALERTS, ok: [422], okMessage: /not enabled/ },
  "GET /api/v3/orgs/:org/secret-scanning/forge-connection": { who: "org-owner", scopes: ["admin:org"], url: () => forgeConnectionUrl() },
  "PUT /api/v3/orgs/:org/secret-scanning/forge-connection": { who: "org-owner", scopes: ["admin:org"], body: { kind: "gitlab", api_url: "https://forge.example/api/v4", token: "matrix-forge-credential" } },
  "DELETE /api/v3/orgs/:org/secret-scanning/forge-connection": { who: "org-owner", scopes: ["admin:org"], url: () => forgeConnectionUrl() },
  // Remediation pages (web/campaign-pages.ts): owners and security managers, with the alert scopes.
  "GET /orgs/:org/security/remediation": { who: "org-manager", scopes: ALERTS, page: true },
  "GET /orgs/:org/security/campaigns": { who: "org-manager", scopes: ALERTS, page: true },
  "POST /orgs/:org/security/campaigns": { who: "org-manager", scopes: ALERTS, page: true, form: { name: "page campaign" }, ok: [303, 422] },
  "GET /orgs/:org/security/campaigns/:campaign_number": { who: "org-manager", scopes: ALERTS, page: true, url: async () => (await campaignUrl("")).replace("/api/v3/orgs/acme/secret-scanning/", "/orgs/acme/security/") },
  "POST /orgs/:org/security/campaigns/:campaign_number": { who: "org-manager", scopes: ALERTS, page: true, form: { action: "close" }, ok: [303], url: async () => (await campaignUrl("")).replace("/api/v3/orgs/acme/secret-scanning/", "/orgs/acme/security/") },
  // The allow page of a blocked push: anyone may load it (an unknown placeholder is 404); its form posts the token.
  "GET /:owner/:repo/security/secret-scanning/unblock-secret/:id": { who: "anyone", ok: [404] },
  "POST /:owner/:repo/security/secret-scanning/unblock-secret/:id": {
    who: "repo-member",
    ok: [404],
    okMessage: /Placeholder ID not found/,
  },
  // Git smart HTTP: reading needs a role in the repository, pushing write access; both the repo scope.
  "GET /:owner/:repo{.+\\.git}/*": [
    { who: "repo-member", scopes: ["repo"], url: "/acme/api.git/info/refs?service=git-upload-pack" },
    { who: "repo-writer", scopes: ["repo"], url: "/acme/api.git/info/refs?service=git-receive-pack" },
  ],
  "POST /:owner/:repo{.+\\.git}/*": [
    {
      who: "repo-member",
      scopes: ["repo"],
      url: "/acme/api.git/git-upload-pack",
      raw: { body: "0000", type: "application/x-git-upload-pack-request" },
    },
    {
      who: "repo-writer",
      scopes: ["repo"],
      url: "/acme/api.git/git-receive-pack",
      raw: { body: "0000", type: "application/x-git-receive-pack-request" },
    },
  ],
};

const PARAMS: Record<string, string> = {
  owner: "acme",
  repo: "api",
  number: "1",
  org: "acme",
  enterprise: "vigil",
  id: "unknown-placeholder",
  secret_type: "github_personal_access_token",
};

/** Who gets past 404 for each kind of resource. */
const WHO: Record<Who, readonly CallerName[]> = {
  anyone: [
    "anonymous",
    "badToken",
    "outsider",
    "reader",
    "writer",
    "repoAdmin",
    "securityManager",
    "owner",
    "scopeless",
    "siteAdmin",
  ],
  user: ["outsider", "reader", "writer", "repoAdmin", "securityManager", "owner", "scopeless", "siteAdmin"],
  "repo-member": ["reader", "writer", "repoAdmin", "securityManager", "owner", "scopeless", "siteAdmin"],
  "repo-writer": ["writer", "repoAdmin", "owner", "scopeless", "siteAdmin"],
  "repo-admin": ["repoAdmin", "owner", "scopeless", "siteAdmin"],
  "alert-manager": ["repoAdmin", "securityManager", "owner", "scopeless", "siteAdmin"],
  "org-manager": ["securityManager", "owner", "scopeless", "siteAdmin"],
  "org-owner": ["owner", "scopeless", "siteAdmin"],
  "site-admin": ["siteAdmin"],
};
const ALL_SCOPES: readonly TokenScope[] = [
  "repo",
  "security_events",
  "public_repo",
  "admin:org",
  "write:org",
  "read:org",
  "admin:repo_hook",
  "admin:enterprise",
  "site_admin",
  "user",
  "delete_repo",
  "admin:org_hook",
];
const CALLERS: readonly CallerName[] = WHO.anyone;

let root: string;
let opened: OpenedStore;
let server: VigilServer;
const tokens = new Map<CallerName, string>();
const repoRoles: [number, "read" | "write" | "admin"][] = [];
let freshCount = 0;
let spareTokenId = 0;
const hookIds = { repo: 0, org: 0, instance: 0, sink: 0 };

/** A hook (or sink) for a route that reads or changes one; a DELETE gets a fresh one each call. */
async function freshHook(kind: keyof typeof hookIds): Promise<number> {
  const repo = (await opened.store.getRepository("acme", "api"))!;
  const org = (await opened.store.getOrganization("acme"))!;
  const hook = await opened.webhooks.createHook({
    url: "https://hooks.example/receiver",
    contentType: "json",
    secret: null,
    insecureSsl: false,
    events: ["secret_scanning_alert"],
    active: true,
    ...(kind === "repo"
      ? { scope: "repository", repoId: repo.id }
      : kind === "instance"
        ? { scope: "instance" }
        : { scope: "organization", orgId: org.id }),
    ...(kind === "sink" ? { kind: "json" } : {}),
  });
  return hook.id;
}

/** A campaign of its own for each call (a DELETE removes it), and its URL with `tail`. */
async function campaignUrl(tail: string): Promise<string> {
  const org = (await opened.store.getOrganization("acme"))!;
  const c = await opened.campaigns.createCampaign({ orgId: org.id, name: `matrix-campaign-${unique()}`, description: null, ownerId: null, endsAt: null, filters: {}, createdBy: (await opened.store.getUserByLogin("owner"))!.id, alerts: [] });
  return `/api/v3/orgs/acme/secret-scanning/campaigns/${c.id}${tail}`;
}

/** The forge connection exists before each call that reads or deletes it. */
async function forgeConnectionUrl(): Promise<string> {
  const org = (await opened.store.getOrganization("acme"))!;
  await opened.campaigns.setForgeConnection(org.id, { kind: "github", apiUrl: "https://forge.example/api/v3", token: "matrix-forge-credential", namespace: null }, (await opened.store.getUserByLogin("owner"))!.id);
  return "/api/v3/orgs/acme/secret-scanning/forge-connection";
}

/** A repository like acme/api (same roles) for a route that destroys its repository. */
async function freshRepository(): Promise<string> {
  const repo = await server.repositories.register({ owner: "acme", name: `doomed-${++freshCount}`, sourceUrl: null });
  for (const [userId, role] of repoRoles) await opened.store.setRepoRole(repo.id, userId, role);
  return `/api/v3/repos/acme/${repo.name}`;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "vigil-matrix-"));
  opened = await openStore({ dataDir: root, env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 5).toString("base64") } });
  const { store } = opened;
  server = createServer({
    store,
    pushProtection: opened.pushProtection,
    sessions: opened.sessions,
    reviews: opened.reviews,
    validity: opened.validity,
    campaigns: opened.campaigns,
    storeEnv: { VIGIL_DATA_DIR: root, VIGIL_SECRET_KEY: Buffer.alloc(32, 5).toString("base64") },
    dataDir: root,
    scanHistory: scanRepositoryHistory,
    log: pino({ level: "silent" }),
    // Every optional part on, so that its routes are walked too.
    partners: opened.partners,
    webhooks: opened.webhooks,
    forgeWebhookSecret: "matrix-forge-secret-0123456789",
    customPatterns: opened.customPatterns,
  });
  const repo = await server.repositories.register({ owner: "acme", name: "api", sourceUrl: null });
  await server.repositories.register({ owner: "acme", name: "web", sourceUrl: null });
  const random = new ExampleRandom(1010);
  await store.recordDetections(repo.id, [
    detection(
      "github_personal_access_token",
      "GitHub Personal Access Token",
      "GitHub",
      random.githubToken("ghp"),
      "config/.env",
      1,
    ),
  ]);
  const org = (await store.getOrganization("acme"))!;
  const make = async (
    name: CallerName,
    login: string,
    scopes: readonly TokenScope[],
    siteAdmin = false,
  ): Promise<number> => {
    const user = await store.createUser({ login, siteAdmin });
    tokens.set(name, (await store.createToken({ userId: user.id, scopes: [...scopes] })).token);
    return user.id;
  };
  const full = ALL_SCOPES.filter((s) => s !== "site_admin");
  await make("outsider", "outsider", full);
  const readerId = await make("reader", "reader", full);
  await store.setRepoRole(repo.id, readerId, "read");
  repoRoles.push([readerId, "read"]);
  const writerId = await make("writer", "writer", full);
  await store.setRepoRole(repo.id, writerId, "write");
  repoRoles.push([writerId, "write"]);
  const repoAdminId = await make("repoAdmin", "repo-admin", full);
  await store.setRepoRole(repo.id, repoAdminId, "admin");
  repoRoles.push([repoAdminId, "admin"]);
  await store.setOrgRole(org.id, await make("securityManager", "security-manager", full), "security_manager");
  await store.setOrgRole(org.id, await make("owner", "owner", full), "owner");
  await store.setOrgRole(org.id, await make("scopeless", "scopeless-owner", []), "owner");
  const siteAdminId = await make("siteAdmin", "site-admin", ALL_SCOPES, true);
  spareTokenId = (await store.createToken({ userId: siteAdminId, scopes: ["repo"], note: "spare" })).record.id;
  tokens.set("badToken", "vgl_" + "0".repeat(36));
  for (const kind of ["repo", "org", "instance", "sink"] as const) hookIds[kind] = await freshHook(kind);
  const scopeRefs = { repository: { scope: "repository", repoId: repo.id }, organization: { scope: "organization", orgId: org.id }, enterprise: { scope: "enterprise" } } as const;
  for (const scope of Object.keys(customPatterns) as CpScope[]) {
    const fields = (name: string) => ({ name, pattern: "mx_[a-z0-9]{20}", startDelimiter: null, endDelimiter: null, mustMatch: null, mustNotMatch: null, state: "unpublished" as const, pushProtectionEnabled: false });
    // The site administrator made the enterprise ones: a creator may edit and dry-run them.
    const made = await opened.customPatterns.createMany(scopeRefs[scope], Array.from({ length: 41 }, (_, i) => fields(`matrix ${scope} ${i}`)), scope === "enterprise" ? siteAdminId : null);
    customPatterns[scope].id = made[0]!.id;
    customPatterns[scope].version = made[0]!.version;
    customPatterns[scope].pool = made.slice(1).map((p) => p.id);
    await opened.customPatterns.createDryRun({ patternId: made[0]!.id, patternVersion: made[0]!.version, repoIds: [], createdBy: null });
  }
  const otherOwner = await store.createUser({ login: "other-enterprise-owner", siteAdmin: true });
  const [others] = await opened.customPatterns.createMany({ scope: "enterprise" }, [{ name: "matrix others' enterprise pattern", pattern: "mo_[a-z0-9]{20}", startDelimiter: null, endDelimiter: null, mustMatch: null, mustNotMatch: null, state: "unpublished", pushProtectionEnabled: false }], otherOwner.id);
  othersEnterprisePattern.id = others!.id;
  othersEnterprisePattern.version = others!.version;
  await opened.customPatterns.createDryRun({ patternId: others!.id, patternVersion: others!.version, repoIds: [], createdBy: otherOwner.id });
});

afterAll(async () => {
  await server.close();
  await opened.close();
  rmSync(root, { recursive: true, force: true });
});

function probesOf(key: string): Probe[] {
  const declared = ACCESS[key];
  if (!declared) return [];
  return Array.isArray(declared) ? declared : [declared];
}

async function urlOf(path: string, probe: Probe): Promise<string> {
  if (probe.url) return typeof probe.url === "function" ? await probe.url() : probe.url;
  return path.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, (_, name: string) => {
    const value = PARAMS[name];
    if (value === undefined) throw new Error(`${path}: no value for :${name}; give the route's probe a url`);
    return value;
  });
}

const sessionsByToken = new Map<string, { cookie: string; csrf: string } | null>();

/** Signs in at /login with the token, as a browser does: the form's CSRF cookie and field, then the session cookie. */
async function signIn(token: string | undefined): Promise<{ cookie: string; csrf: string } | null> {
  const form = await server.app.request("http://vigil.test/login");
  const loginCookie = form.headers.getSetCookie()[0]!.split(";")[0]!;
  const csrf = /name="_csrf"\s+value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await server.app.request("http://vigil.test/login", {
    method: "POST",
    headers: { cookie: loginCookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf, ...(token ? { token } : {}) }).toString(),
  });
  const session = res.headers
    .getSetCookie()
    .find((c) => c.startsWith("vigil_session="))
    ?.split(";")[0];
  if (!session) return null;
  const page = await (await server.app.request("http://vigil.test/security", { headers: { cookie: session } })).text();
  return { cookie: session, csrf: /name="_csrf"\s+value="([^"]+)"/.exec(page)![1]! };
}

async function sendPage(method: string, probe: Probe, url: string, token: string | undefined): Promise<Response> {
  if (probe.login) {
    const session = await signIn(token);
    return new Response(null, { status: session ? 303 : 401, headers: session ? { location: "/security" } : {} });
  }
  let session = token && !probe.freshSession ? sessionsByToken.get(token) : undefined;
  if (session === undefined) {
    session = token ? await signIn(token) : null;
    if (token && !probe.freshSession) sessionsByToken.set(token, session);
  }
  const headers: Record<string, string> = session ? { cookie: session.cookie } : {};
  let body: string | undefined;
  if (method === "POST") {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams({ ...probe.form, ...(session ? { _csrf: session.csrf } : {}) }).toString();
  }
  return server.app.request(`http://vigil.test${url}`, { method, headers, ...(body !== undefined ? { body } : {}) });
}

async function send(method: string, probe: Probe, url: string, token: string | undefined): Promise<Response> {
  if (probe.page || probe.login) return sendPage(method, probe, url, token);
  const headers: Record<string, string> = {};
  if (token)
    headers.authorization = url.includes(".git/")
      ? `Basic ${Buffer.from(`x:${token}`).toString("base64")}`
      : `token ${token}`;
  let body: string | undefined;
  if (probe.raw) {
    headers["content-type"] = probe.raw.type;
    body = probe.raw.body;
  } else if (probe.body !== undefined && method !== "GET") {
    headers["content-type"] = "application/json";
    body = JSON.stringify(typeof probe.body === "function" ? (probe.body as () => unknown)() : probe.body);
  }
  // The allow page's form carries the token in its body.
  if (url.includes("/unblock-secret/") && method === "POST") {
    delete headers.authorization;
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams({ reason: "used_in_tests", ...(token ? { token } : {}) }).toString();
  }
  return server.app.request(`http://vigil.test${url}`, { method, headers, ...(body !== undefined ? { body } : {}) });
}

/** The documented answer for one caller. */
function expected(probe: Probe, caller: CallerName): "ok" | 401 | 403 | 404 {
  if (probe.who === "anyone") return "ok";
  if (caller === "anonymous" || caller === "badToken") return 401;
  if (!WHO[probe.who].includes(caller)) {
    // A member without write access learns the repository exists (it can read it): 403 to push.
    if (probe.who === "repo-writer" && WHO["repo-member"].includes(caller)) return 403;
    return 404;
  }
  if (caller === "scopeless" && probe.scopes) return 403;
  return "ok";
}

function routeKeys(): string[] {
  const keys = new Set<string>();
  for (const route of server.app.routes) if (route.method !== "ALL") keys.add(`${route.method} ${route.path}`);
  return [...keys].sort();
}

describe("access matrix", () => {
  it("every route of the router has an entry, and every entry a route", () => {
    const keys = routeKeys();
    expect(keys.length).toBeGreaterThan(20);
    expect(
      keys.filter((key) => !ACCESS[key]),
      "routes without an ACCESS entry: add one line each",
    ).toEqual([]);
    expect(
      Object.keys(ACCESS).filter((key) => !keys.includes(key)),
      "ACCESS entries for routes that no longer exist",
    ).toEqual([]);
  });

  it("every route and git URL answers every kind of caller as documented", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const key of routeKeys()) {
      const [method = "", path = ""] = key.split(" ");
      for (const probe of probesOf(key)) {
        for (const caller of CALLERS) {
          const url = probe.freshRepo ? await freshRepository() : await urlOf(path, probe);
          const res = await send(method, probe, url, caller === "anonymous" ? undefined : tokens.get(caller));
          const text = await res.text();
          const want = expected(probe, caller);
          checked++;
          // A page sends a caller without a session to sign in; an allowed caller's 303 leads elsewhere.
          const toLogin = res.status === 303 && /^\/login(\?return_to=|$)/.test(res.headers.get("location") ?? "");
          const good =
            probe.page && want === 401
              ? toLogin
              : probe.page && toLogin
                ? false
                : want === "ok"
                  ? (res.status >= 200 && res.status < 300 && !probe.ok) ||
                    (probe.ok?.includes(res.status) === true && (!probe.okMessage || probe.okMessage.test(text)))
                  : res.status === want && !(want === 404 && probe.okMessage?.test(text));
          if (!good)
            failures.push(
              `${method} ${url} as ${caller}: ${res.status} (expected ${want === "ok" ? (probe.ok?.join("/") ?? "2xx") : probe.page && want === 401 ? "303 to /login" : want}) ${text.slice(0, 120)}`,
            );
          if (res.status >= 500) failures.push(`${method} ${url} as ${caller}: server error`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(250);
  });

  it("a token missing exactly the route's scopes is 403, even for a site administrator", async () => {
    const { store } = opened;
    const admin = (await store.getUserByLogin("site-admin"))!;
    const failures: string[] = [];
    for (const key of routeKeys()) {
      const [method = "", path = ""] = key.split(" ");
      for (const probe of probesOf(key)) {
        if (!probe.scopes) continue;
        const others = ALL_SCOPES.filter((s) => s !== "site_admin" && !probe.scopes!.includes(s));
        const { token } = await store.createToken({ userId: admin.id, scopes: others });
        const url = probe.freshRepo ? await freshRepository() : await urlOf(path, probe);
        const res = await send(method, probe, url, token);
        if (res.status !== 403)
          failures.push(`${method} ${url} with ${others.join(",")}: ${res.status} ${(await res.text()).slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
