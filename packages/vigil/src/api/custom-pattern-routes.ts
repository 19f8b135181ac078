import type { Context, Hono } from "hono";
import type { AlertStore, TokenScope } from "../alerts/alert-store.js";
import type { Repository } from "../alerts/types.js";
import {
  CUSTOM_PATTERN_LIMITS,
  CustomPatternVersionMismatch,
  type CustomPattern,
  type CustomPatternChange,
  type CustomPatternFields,
  type CustomPatternStore,
  type DryRun,
  type ListCustomPatternsQuery,
  type ScopeRef,
} from "../custom-patterns/custom-pattern-store.js";
import type { CustomPatternJobs } from "../custom-patterns/custom-pattern-jobs.js";
import { patternProblems, type PatternErrorCode } from "../custom-patterns/pattern-problems.js";
import { maskSecret } from "vigil-secrets-engine";
import type { ApiEnv } from "./api-env.js";
import { ApiError, documentationUrl, notFound } from "./api-error.js";
import { readJsonObject, requireScopes } from "./authenticate.js";
import { cursorLinkHeader, offsetLinkHeader } from "./link-header.js";
import { resolveAlertRepository, resolveManagedOrganization } from "./repo-access.js";

export interface CustomPatternRoutesOptions {
  store: AlertStore;
  customPatterns: CustomPatternStore;
  jobs: CustomPatternJobs;
  enterpriseSlug: string;
}

/** What a scope's routes resolve: where the patterns live and who may read or change them. */
interface ResolvedScope {
  where: ScopeRef;
  /** Repositories a dry run may choose from. */
  label: string;
}

const SCOPES = {
  repository: { read: ["repo", "security_events"], write: ["repo", "security_events"] },
  organization: { read: ["read:org", "write:org", "admin:org"], write: ["write:org", "admin:org"] },
  enterprise: { read: ["admin:enterprise"], write: ["admin:enterprise"] },
} as const satisfies Record<string, { read: readonly TokenScope[]; write: readonly TokenScope[] }>;

/** GitHub's bulk delete takes at most 500 patterns. */
const MAX_BULK = 500;
/** GitHub's organization dry run: up to 10 chosen repositories, or all. */
const MAX_DRY_RUN_REPOSITORIES = 10;

/**
 * GitHub's custom-pattern REST operations for repositories, organizations and enterprises (list,
 * bulk create, bulk delete, update: 12 routes), and Vigil's dry run of a pattern (2 routes a scope).
 */
export function mountCustomPatternRoutes(app: Hono<ApiEnv>, options: CustomPatternRoutesOptions): void {
  const { store, customPatterns, jobs, enterpriseSlug } = options;

  const bases: { base: string; kind: keyof typeof SCOPES; resolve: (c: Context<ApiEnv>) => Promise<ResolvedScope> }[] =
    [
      {
        base: "/repos/:owner/:repo/secret-scanning/custom-patterns",
        kind: "repository",
        resolve: async (c) => {
          const { repo } = await resolveAlertRepository(
            store,
            c.get("user"),
            c.req.param("owner") ?? "",
            c.req.param("repo") ?? "",
          );
          return { where: { scope: "repository", repoId: repo.id }, label: repo.fullName };
        },
      },
      {
        base: "/orgs/:org/secret-scanning/custom-patterns",
        kind: "organization",
        resolve: async (c) => {
          const org = await resolveManagedOrganization(store, c.get("user"), c.req.param("org") ?? "");
          return { where: { scope: "organization", orgId: org.id }, label: org.login };
        },
      },
      {
        base: "/enterprises/:enterprise/secret-scanning/custom-patterns",
        kind: "enterprise",
        resolve: (c) => {
          if (c.req.param("enterprise") !== enterpriseSlug || !c.get("user").siteAdmin) throw notFound();
          return Promise.resolve({ where: { scope: "enterprise" }, label: enterpriseSlug });
        },
      },
    ];

  for (const { base, kind, resolve } of bases) {
    const readable = async (c: Context<ApiEnv>): Promise<ResolvedScope> => {
      const scope = await resolve(c);
      requireScopes(c, SCOPES[kind].read);
      return scope;
    };
    const writable = async (c: Context<ApiEnv>): Promise<ResolvedScope> => {
      const scope = await resolve(c);
      requireScopes(c, SCOPES[kind].write);
      return scope;
    };

    app.get(base, async (c) => {
      const { where } = await readable(c);
      const url = new URL(c.req.url);
      const query = parseListQuery(url.searchParams);
      // A scope holds at most 500 patterns: they are ordered here, in one order on every database.
      const all = (await customPatterns.list(where, query)).sort(listOrder(query));
      if (query.cursor) {
        const { items, startCursor, endCursor } = cursorPage(all, query, query.cursor);
        const link = cursorLinkHeader(url, startCursor, endCursor);
        if (link) c.header("Link", link);
        return c.json(items.map(formatPattern));
      }
      const lastPage = Math.max(1, Math.ceil(all.length / query.perPage));
      const link = offsetLinkHeader(url, query.page, lastPage);
      if (link) c.header("Link", link);
      return c.json(all.slice((query.page - 1) * query.perPage, query.page * query.perPage).map(formatPattern));
    });

    app.post(base, async (c) => {
      const { where } = await writable(c);
      const body = await readJsonObject(c);
      if (!Array.isArray(body.patterns) || body.patterns.length === 0) {
        throw new ApiError(400, "Invalid request: patterns must be a non-empty array of custom patterns");
      }
      const existing = await customPatterns.list(where);
      const limit = CUSTOM_PATTERN_LIMITS[where.scope];
      if (existing.length + body.patterns.length > limit) {
        return c.json(
          validationFailure(
            `A ${where.scope} may have at most ${limit} custom patterns: it has ${existing.length}, and ${body.patterns.length} more were given`,
            {},
          ),
          422,
        );
      }
      const names = new Set(existing.map((p) => p.name.toLowerCase()));
      const errors: Record<string, { errors: { code: PatternErrorCode | "unprocessable"; message: string }[] }> = {};
      const fields: CustomPatternFields[] = [];
      body.patterns.forEach((raw: unknown, i: number) => {
        const parsed = parseCreateItem(raw);
        if ("problems" in parsed) {
          errors[String(i)] = { errors: parsed.problems };
          return;
        }
        const problems: { code: PatternErrorCode | "unprocessable"; message: string }[] = patternProblems(
          parsed.fields,
        );
        if (names.has(parsed.fields.name.toLowerCase()))
          problems.push({
            code: "name",
            message: `name "${parsed.fields.name}" is already used by a custom pattern here`,
          });
        names.add(parsed.fields.name.toLowerCase());
        if (problems.length > 0) errors[String(i)] = { errors: problems };
        else fields.push(parsed.fields);
      });
      if (Object.keys(errors).length > 0)
        return c.json(validationFailure("Validation failed: no custom pattern was created", errors), 422);
      const created = await customPatterns.createMany(where, fields, c.get("user").id);
      // Publishing starts a scan of the history of every repository the pattern covers, with it alone.
      for (const pattern of created) if (pattern.state === "published") await jobs.backfill(pattern, c.get("user").id);
      return c.json({ created_patterns: created.map(formatPattern) }, 201);
    });

    app.delete(base, async (c) => {
      const { where } = await writable(c);
      const body = await readJsonObject(c);
      const items = body.patterns;
      if (!Array.isArray(items) || items.length === 0)
        throw new ApiError(
          400,
          "Invalid request: patterns must be a non-empty array of {pattern_id, custom_pattern_version}",
        );
      if (items.length > MAX_BULK)
        throw new ApiError(422, `Invalid request: at most ${MAX_BULK} patterns can be deleted at once`);
      const action = body.post_delete_action ?? "delete_alerts";
      if (action !== "delete_alerts" && action !== "resolve_alerts") {
        throw new ApiError(422, "Invalid post_delete_action: must be delete_alerts or resolve_alerts", [
          { resource: "CustomPattern", field: "post_delete_action", code: "invalid" },
        ]);
      }
      const wanted: { id: number; version: string | null }[] = [];
      for (const item of items as unknown[]) {
        const o = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
        if (typeof o.pattern_id !== "number" || !Number.isInteger(o.pattern_id))
          throw new ApiError(400, "Invalid request: each pattern needs an integer pattern_id");
        if (
          o.custom_pattern_version !== undefined &&
          o.custom_pattern_version !== null &&
          typeof o.custom_pattern_version !== "string"
        ) {
          throw new ApiError(400, "Invalid request: custom_pattern_version must be a string");
        }
        const pattern = await customPatterns.get(o.pattern_id);
        if (!pattern || !sameScope(pattern, where)) throw new ApiError(404, `Custom pattern ${o.pattern_id} not found`);
        wanted.push({ id: pattern.id, version: (o.custom_pattern_version as string | undefined) ?? null });
      }
      let deleted: CustomPattern[];
      try {
        deleted = await customPatterns.deleteMany(wanted);
      } catch (error) {
        if (error instanceof CustomPatternVersionMismatch) return preconditionFailed(c, error);
        throw error;
      }
      for (const pattern of deleted) await jobs.removeAlerts(pattern, action);
      return c.body(null, 204);
    });

    app.patch(`${base}/:pattern_id`, async (c) => {
      const { where } = await writable(c);
      const pattern = creatorOnly(c, await patternIn(c, where));
      const body = await readJsonObject(c);
      const version = body.custom_pattern_version;
      if (typeof version !== "string" || version === "") {
        throw new ApiError(422, "Invalid request: custom_pattern_version is required", [
          { resource: "CustomPattern", field: "custom_pattern_version", code: "missing_field" },
        ]);
      }
      const change = parseChange(body);
      if (Object.keys(change).length === 0) {
        throw new ApiError(
          422,
          "Invalid request: give at least one of pattern, start_delimiter, end_delimiter, must_match, must_not_match (or Vigil's state, push_protection_enabled)",
        );
      }
      const next = { ...pattern, ...change };
      const problems = patternProblems(next);
      if (problems.length > 0)
        return c.json(
          validationFailure("Validation failed: the custom pattern was not changed", { "0": { errors: problems } }),
          422,
        );
      if (next.pushProtectionEnabled && next.state !== "published") {
        throw new ApiError(
          422,
          "Push protection can be enabled only for a published custom pattern: publish it first",
          [{ resource: "CustomPattern", field: "push_protection_enabled", code: "invalid" }],
        );
      }
      let updated: CustomPattern;
      try {
        updated = await customPatterns.update(pattern.id, version, change);
      } catch (error) {
        if (error instanceof CustomPatternVersionMismatch) return preconditionFailed(c, error);
        throw error;
      }
      if (pattern.state === "unpublished" && updated.state === "published")
        await jobs.backfill(updated, c.get("user").id);
      else if (updated.state === "published" && updated.version !== pattern.version)
        await jobs.reconcileEdit(updated, c.get("user").id);
      return c.json(formatPattern(updated));
    });

    // --- dry run (Vigil's REST form of GitHub's "Save and dry run") ------------------------------
    app.post(`${base}/:pattern_id/dry-runs`, async (c) => {
      const { where } = await writable(c);
      const pattern = creatorOnly(c, await patternIn(c, where));
      const body = await readJsonObject(c);
      const covered = await jobs.coveredRepositories(pattern);
      let repos: Repository[] = covered;
      if (body.repositories !== undefined) {
        if (!Array.isArray(body.repositories) || body.repositories.some((r) => typeof r !== "string")) {
          throw new ApiError(422, "Invalid repositories: must be an array of owner/name strings", [
            { resource: "DryRun", field: "repositories", code: "invalid" },
          ]);
        }
        if (body.repositories.length > MAX_DRY_RUN_REPOSITORIES) {
          throw new ApiError(
            422,
            `Invalid repositories: choose at most ${MAX_DRY_RUN_REPOSITORIES}, or leave it out for all`,
            [{ resource: "DryRun", field: "repositories", code: "invalid" }],
          );
        }
        const byName = new Map(covered.map((r) => [r.fullName.toLowerCase(), r]));
        repos = [];
        for (const name of body.repositories as string[]) {
          const repo = byName.get(name.toLowerCase());
          if (!repo)
            throw new ApiError(
              422,
              `Invalid repositories: ${JSON.stringify(name.slice(0, 100))} is not a repository this pattern covers`,
              [{ resource: "DryRun", field: "repositories", code: "invalid" }],
            );
          repos.push(repo);
        }
      }
      const id = await jobs.dryRun(pattern, repos, c.get("user").id);
      const run = (await customPatterns.latestDryRun(pattern.id))!;
      return c.json(
        formatDryRun(run.id === id ? run : { ...run, id }, new Map(repos.map((r) => [r.id, r.fullName])), true),
        202,
      );
    });

    app.get(`${base}/:pattern_id/dry-runs/latest`, async (c) => {
      const { where } = await readable(c);
      const pattern = creatorOnly(c, await patternIn(c, where));
      const run = await customPatterns.latestDryRun(pattern.id);
      if (!run) throw new ApiError(404, "This custom pattern has no dry run");
      // Sample results hold secrets: masked unless asked for (`hide_secret=false`).
      const hide = new URL(c.req.url).searchParams.get("hide_secret") !== "false";
      const names = new Map((await jobs.coveredRepositories(pattern)).map((r) => [r.id, r.fullName]));
      return c.json(formatDryRun(run, names, hide));
    });
  }

  async function patternIn(c: Context<ApiEnv>, where: ScopeRef): Promise<CustomPattern> {
    const raw = c.req.param("pattern_id") ?? "";
    if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw notFound();
    const pattern = await customPatterns.get(Number(raw));
    if (!pattern || !sameScope(pattern, where)) throw notFound();
    return pattern;
  }
}

/**
 * GitHub: "At the enterprise level, only the creator of a custom pattern can edit the pattern, and use
 * it in a dry run"; other enterprise owners see it (and may delete it) but are refused (403). There are
 * no such restrictions at repository and organization level. A pattern without a recorded creator
 * (made by the store directly) stays editable by every enterprise owner.
 */
function creatorOnly(c: Context<ApiEnv>, pattern: CustomPattern): CustomPattern {
  if (pattern.scope !== "enterprise" || pattern.createdBy === null || pattern.createdBy === c.get("user").id)
    return pattern;
  throw new ApiError(
    403,
    "Only the creator of an enterprise custom pattern can edit it or dry-run it (GitHub's rule for enterprise patterns)",
  );
}

function sameScope(pattern: CustomPattern, where: ScopeRef): boolean {
  if (pattern.scope !== where.scope) return false;
  if (where.scope === "repository") return pattern.repoId === where.repoId;
  if (where.scope === "organization") return pattern.orgId === where.orgId;
  return true;
}

function preconditionFailed(c: Context<ApiEnv>, error: CustomPatternVersionMismatch): Response {
  return c.json(
    {
      message: `Precondition Failed: ${error.message}; read the pattern again and retry`,
      documentation_url: documentationUrl(412),
      status: "412",
      code: "custom_pattern_version_mismatch",
    },
    412,
  );
}

/** GitHub's 422 for custom patterns: `validation_errors` keyed by the pattern's zero-based index. */
function validationFailure(
  message: string,
  errors: Record<string, { errors: { code: string; message: string }[] }>,
): Record<string, unknown> {
  return { message, documentation_url: documentationUrl(422), status: "422", validation_errors: errors };
}

const iso = (at: string): string => new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");

/** GitHub's custom pattern object. */
export function formatPattern(p: CustomPattern): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    pattern: p.pattern,
    slug: p.slug,
    state: p.state,
    push_protection_enabled: p.pushProtectionEnabled,
    start_delimiter: p.startDelimiter ?? "\\A|[^0-9A-Za-z]",
    end_delimiter: p.endDelimiter ?? "\\z|[^0-9A-Za-z]",
    must_match: p.mustMatch,
    must_not_match: p.mustNotMatch,
    custom_pattern_version: p.version,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  };
}

function formatDryRun(run: DryRun, names: Map<number, string>, hideSecret: boolean): Record<string, unknown> {
  return {
    id: run.id,
    pattern_id: run.patternId,
    custom_pattern_version: run.patternVersion,
    status: run.status,
    repositories: run.repoIds.map((id) => names.get(id) ?? null).filter((n) => n !== null),
    result_count: run.resultCount,
    results: run.results.map((r) => ({
      repository: r.repository,
      commit_sha: r.commitSha,
      path: r.path,
      start_line: r.startLine,
      secret: hideSecret ? maskSecret(r.secret) : r.secret,
    })),
    error: run.error,
    created_at: iso(run.createdAt),
    completed_at: run.completedAt === null ? null : iso(run.completedAt),
  };
}

function stringList(value: unknown): string[] | null | undefined | false {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v === "")) return false;
  return value as string[];
}

function optionalString(value: unknown): string | null | undefined | false {
  if (value === undefined) return undefined;
  if (value === null) return null;
  return typeof value === "string" && value !== "" ? value : false;
}

function parseCreateItem(
  raw: unknown,
): { fields: CustomPatternFields } | { problems: { code: PatternErrorCode | "unprocessable"; message: string }[] } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return { problems: [{ code: "unprocessable", message: "each pattern must be an object" }] };
  const o = raw as Record<string, unknown>;
  const problems: { code: PatternErrorCode | "unprocessable"; message: string }[] = [];
  if (typeof o.name !== "string") problems.push({ code: "name", message: "name is required (a string)" });
  if (typeof o.pattern !== "string") problems.push({ code: "invalid", message: "pattern is required (a string)" });
  const start = optionalString(o.start_delimiter);
  const end = optionalString(o.end_delimiter);
  const mustMatch = stringList(o.must_match);
  const mustNotMatch = stringList(o.must_not_match);
  if (start === false)
    problems.push({ code: "start_delimiter", message: "start_delimiter must be a non-empty string" });
  if (end === false) problems.push({ code: "end_delimiter", message: "end_delimiter must be a non-empty string" });
  if (mustMatch === false)
    problems.push({ code: "must_match", message: "must_match must be an array of non-empty strings" });
  if (mustNotMatch === false)
    problems.push({ code: "must_not_match", message: "must_not_match must be an array of non-empty strings" });
  if (o.state !== undefined && o.state !== "published" && o.state !== "unpublished")
    problems.push({ code: "invalid", message: "state must be published or unpublished" });
  if (o.push_protection_enabled !== undefined && typeof o.push_protection_enabled !== "boolean")
    problems.push({ code: "invalid", message: "push_protection_enabled must be a boolean" });
  const state = (o.state as CustomPatternFields["state"] | undefined) ?? "published";
  if (o.push_protection_enabled === true && state !== "published")
    problems.push({ code: "invalid", message: "push protection can be enabled only for a published pattern" });
  if (problems.length > 0) return { problems };
  return {
    fields: {
      name: o.name as string,
      pattern: o.pattern as string,
      startDelimiter: (start as string | null | undefined) ?? null,
      endDelimiter: (end as string | null | undefined) ?? null,
      mustMatch: (mustMatch as string[] | null | undefined) ?? null,
      mustNotMatch: (mustNotMatch as string[] | null | undefined) ?? null,
      state,
      pushProtectionEnabled: o.push_protection_enabled === true,
    },
  };
}

function parseChange(body: Record<string, unknown>): CustomPatternChange {
  const change: CustomPatternChange = {};
  const invalid = (field: string, what: string): never => {
    throw new ApiError(422, `Invalid ${field}: ${what}`, [{ resource: "CustomPattern", field, code: "invalid" }]);
  };
  if (body.pattern !== undefined)
    change.pattern =
      typeof body.pattern === "string" && body.pattern !== ""
        ? body.pattern
        : invalid("pattern", "must be a non-empty string");
  for (const [field, key] of [
    ["start_delimiter", "startDelimiter"],
    ["end_delimiter", "endDelimiter"],
  ] as const) {
    const value = optionalString(body[field]);
    if (value === false) invalid(field, "must be a non-empty string or null");
    else if (value !== undefined) change[key] = value;
  }
  for (const [field, key] of [
    ["must_match", "mustMatch"],
    ["must_not_match", "mustNotMatch"],
  ] as const) {
    const value = stringList(body[field]);
    if (value === false) invalid(field, "must be an array of non-empty strings or null");
    else if (value !== undefined) change[key] = value;
  }
  if (body.state !== undefined)
    change.state =
      body.state === "published" || body.state === "unpublished"
        ? body.state
        : invalid("state", "must be published or unpublished");
  if (body.push_protection_enabled !== undefined)
    change.pushProtectionEnabled =
      typeof body.push_protection_enabled === "boolean"
        ? body.push_protection_enabled
        : invalid("push_protection_enabled", "must be a boolean");
  return change;
}

type ListCursor = { from: "start" } | { before: SortKey } | { after: SortKey };
type ListQuery = ListCustomPatternsQuery & { page: number; perPage: number; cursor?: ListCursor };
/** Where a pattern is in a list's order: its sort value, then its id. */
type SortKey = [value: string, id: number];

function sortKey(p: CustomPattern, sort: ListCustomPatternsQuery["sort"]): SortKey {
  // Names are unique per scope without regard to case, and sorted so.
  return [sort === "name" ? p.name.toLowerCase() : sort === "updated" ? p.updatedAt : p.createdAt, p.id];
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] - b[1];
}

/** The list's order: by the sort value then the id, ascending or descending. */
function listOrder(query: ListCustomPatternsQuery): (a: CustomPattern, b: CustomPattern) => number {
  const sign = query.direction === "asc" ? 1 : -1;
  return (a, b) => sign * compareKeys(sortKey(a, query.sort), sortKey(b, query.sort));
}

/** Opaque cursors: base64url of `[sort, value, id]`; one made for another sort is refused. */
function encodeListCursor(sort: ListCustomPatternsQuery["sort"], key: SortKey): string {
  return Buffer.from(JSON.stringify([sort, ...key]), "utf8").toString("base64url");
}

function decodeListCursor(cursor: string, sort: ListCustomPatternsQuery["sort"]): SortKey {
  let parsed: unknown = null;
  try {
    if (/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== sort ||
    typeof parsed[1] !== "string" ||
    !Number.isSafeInteger(parsed[2]) ||
    (parsed[2] as number) < 1
  )
    throw new ApiError(
      422,
      "Invalid cursor: use the before/after values from a Link header of a list with the same sort",
      [{ resource: "CustomPattern", field: "cursor", code: "invalid" }],
    );
  return [parsed[1], parsed[2] as number];
}

/** One cursor page of an ordered list, and the cursors of the pages before and after it (when there are any). */
function cursorPage(
  ordered: CustomPattern[],
  query: ListQuery,
  cursor: ListCursor,
): { items: CustomPattern[]; startCursor?: string; endCursor?: string } {
  const sign = query.direction === "asc" ? 1 : -1;
  const position = (p: CustomPattern, key: SortKey): number => sign * compareKeys(sortKey(p, query.sort), key);
  let items: CustomPattern[];
  if ("before" in cursor) {
    const earlier = ordered.filter((p) => position(p, cursor.before) < 0);
    items = earlier.slice(Math.max(0, earlier.length - query.perPage));
  } else if ("after" in cursor) items = ordered.filter((p) => position(p, cursor.after) > 0).slice(0, query.perPage);
  else items = ordered.slice(0, query.perPage);
  const first = items[0];
  const last = items[items.length - 1];
  const page: { items: CustomPattern[]; startCursor?: string; endCursor?: string } = { items };
  if (first && ordered.some((p) => position(p, sortKey(first, query.sort)) < 0))
    page.startCursor = encodeListCursor(query.sort, sortKey(first, query.sort));
  if (last && ordered.some((p) => position(p, sortKey(last, query.sort)) > 0))
    page.endCursor = encodeListCursor(query.sort, sortKey(last, query.sort));
  return page;
}

function parseListQuery(params: URLSearchParams): ListQuery {
  const one = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = params.get(name);
    if (value === null || value === "") return fallback;
    if (!(allowed as readonly string[]).includes(value))
      throw new ApiError(422, `Invalid value for ${name}: must be one of ${allowed.join(", ")}`);
    return value as T;
  };
  const int = (name: string, fallback: number, max: number): number => {
    const raw = params.get(name);
    if (raw === null || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1)
      throw new ApiError(422, `Invalid value for ${name}: must be an integer of at least 1`);
    return Math.min(n, max);
  };
  const before = params.get("before");
  const after = params.get("after");
  if (before !== null && after !== null)
    throw new ApiError(422, "before and after cannot be used together", [
      { resource: "CustomPattern", field: "before", code: "invalid" },
    ]);
  const state = params.get("state");
  const push = params.get("push_protection");
  const query: ListQuery = {
    sort: one("sort", ["created", "updated", "name"] as const, "created"),
    direction: one("direction", ["asc", "desc"] as const, "desc"),
    page: int("page", 1, Number.MAX_SAFE_INTEGER),
    perPage: int("per_page", 30, 100),
  };
  // GitHub's cursors: `after=` (even empty) starts a cursor walk; the Link header carries the cursors on.
  if (before !== null)
    query.cursor = before === "" ? { from: "start" } : { before: decodeListCursor(before, query.sort) };
  else if (after !== null)
    query.cursor = after === "" ? { from: "start" } : { after: decodeListCursor(after, query.sort) };
  if (state !== null && state !== "") query.state = one("state", ["published", "unpublished"] as const, "published");
  if (push !== null && push !== "")
    query.pushProtection = one("push_protection", ["enabled", "disabled"] as const, "enabled") === "enabled";
  return query;
}
