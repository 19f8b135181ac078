import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { slugify } from "vigil-secrets-engine";
import {
  CustomPatternVersionMismatch,
  type CustomPattern,
  type CustomPatternScanInfo,
  type CustomPatternStore,
  type DryRun,
  type DryRunResult,
  type ScopeRef,
} from "../custom-patterns/custom-pattern-store.js";
import { StoreNotFoundError } from "../alerts/alert-store.js";
import { bit, toIso, toIsoOrNull } from "./row-mapping.js";
import type { SecretBox } from "./secret-box.js";

interface CustomPatternsTable {
  id: number;
  scope: string;
  repo_id: number | null;
  org_id: number | null;
  name: string;
  slug: string;
  pattern: string;
  start_delimiter: string | null;
  end_delimiter: string | null;
  must_match: unknown;
  must_not_match: unknown;
  state: string;
  push_protection_enabled: boolean | number;
  version: string;
  created_by: number | null;
  created_at: string | Date;
  updated_at: string | Date;
}

interface DryRunsTable {
  id: number;
  pattern_id: number;
  pattern_version: string;
  status: string;
  repo_ids: unknown;
  result_count: number;
  sealed_results: string | null;
  error: string | null;
  created_by: number | null;
  created_at: string | Date;
  completed_at: string | Date | null;
}

interface ScansTable {
  scan_id: number;
  pattern_name: string;
  pattern_scope: string;
  /** Migration 0018: GitHub's scan type (null before it: `custom-pattern-backfill`) and who caused the scan. */
  scan_type: string | null;
  sender_id: number | null;
}

interface Tables {
  custom_pattern_scans: ScansTable;
  alerts: { id: number; repo_id: number; secret_type: string };
  custom_patterns: CustomPatternsTable;
  custom_pattern_dry_runs: DryRunsTable;
}

export interface CustomPatternStoreOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- these tables are this module's own (migration 0014)
  db: Kysely<any>;
  secretBox: SecretBox;
  now?: () => Date;
}

const json = <T>(value: unknown): T => (typeof value === "string" ? (JSON.parse(value) as T) : (value as T));
const jsonOrNull = (list: string[] | null | undefined): string | null => (list ? JSON.stringify(list) : null);
/** A new `custom_pattern_version`: 27 URL-safe characters, like GitHub's. */
const newVersion = (): string => randomBytes(20).toString("base64url").slice(0, 27);

function toPattern(row: CustomPatternsTable): CustomPattern {
  return {
    id: Number(row.id),
    scope: row.scope as CustomPattern["scope"],
    repoId: row.repo_id === null ? null : Number(row.repo_id),
    orgId: row.org_id === null ? null : Number(row.org_id),
    name: row.name,
    slug: row.slug,
    pattern: row.pattern,
    startDelimiter: row.start_delimiter,
    endDelimiter: row.end_delimiter,
    mustMatch: row.must_match === null ? null : json<string[]>(row.must_match),
    mustNotMatch: row.must_not_match === null ? null : json<string[]>(row.must_not_match),
    state: row.state as CustomPattern["state"],
    pushProtectionEnabled: row.push_protection_enabled === true || row.push_protection_enabled === 1,
    version: row.version,
    createdBy: row.created_by === null ? null : Number(row.created_by),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

/** Custom patterns and their dry runs in `custom_patterns` / `custom_pattern_dry_runs` (migration 0014). */
export function createCustomPatternStore(options: CustomPatternStoreOptions): CustomPatternStore {
  const db = options.db as Kysely<Tables>;
  const { secretBox } = options;
  const now = (): string => (options.now ?? (() => new Date()))().toISOString();

  const scoped = (where: ScopeRef) => {
    let q = db.selectFrom("custom_patterns").where("scope", "=", where.scope);
    if (where.scope === "repository") q = q.where("repo_id", "=", where.repoId);
    if (where.scope === "organization") q = q.where("org_id", "=", where.orgId);
    return q;
  };

  const toDryRun = (row: DryRunsTable): DryRun => ({
    id: Number(row.id),
    patternId: Number(row.pattern_id),
    patternVersion: row.pattern_version,
    status: row.status as DryRun["status"],
    repoIds: json<number[]>(row.repo_ids),
    resultCount: Number(row.result_count),
    results: row.sealed_results === null ? [] : (JSON.parse(secretBox.open(row.sealed_results)) as DryRunResult[]),
    error: row.error,
    createdAt: toIso(row.created_at),
    completedAt: toIsoOrNull(row.completed_at),
  });

  const store: CustomPatternStore = {
    async list(where, query) {
      let q = scoped(where).selectAll();
      if (query?.state) q = q.where("state", "=", query.state);
      if (query?.pushProtection !== undefined) q = q.where("push_protection_enabled", "=", bit(query.pushProtection));
      const column = query?.sort === "name" ? "name" : query?.sort === "updated" ? "updated_at" : "created_at";
      const direction = query?.direction ?? "desc";
      const rows = await q.orderBy(column, direction).orderBy("id", direction).execute();
      return rows.map(toPattern);
    },
    async count(where) {
      const row = await scoped(where)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async get(id) {
      const row = await db.selectFrom("custom_patterns").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toPattern(row) : null;
    },
    async createMany(where, patterns, createdBy) {
      const at = now();
      return db.transaction().execute(async (trx) => {
        const created: CustomPattern[] = [];
        for (const p of patterns) {
          const row = await trx
            .insertInto("custom_patterns")
            .values({
              scope: where.scope,
              repo_id: where.scope === "repository" ? where.repoId : null,
              org_id: where.scope === "organization" ? where.orgId : null,
              name: p.name,
              slug: slugify(p.name).replace(/_/g, "-") || "custom-pattern",
              pattern: p.pattern,
              start_delimiter: p.startDelimiter,
              end_delimiter: p.endDelimiter,
              must_match: jsonOrNull(p.mustMatch),
              must_not_match: jsonOrNull(p.mustNotMatch),
              state: p.state,
              push_protection_enabled: bit(p.pushProtectionEnabled),
              version: newVersion(),
              created_by: createdBy,
              created_at: at,
              updated_at: at,
            } as never)
            .returningAll()
            .executeTakeFirstOrThrow();
          created.push(toPattern(row));
        }
        return created;
      });
    },
    async update(id, version, change) {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom("custom_patterns").selectAll().where("id", "=", id).executeTakeFirst();
        if (!row) throw new StoreNotFoundError(`custom pattern ${id} not found`);
        if (version !== null && row.version !== version) throw new CustomPatternVersionMismatch(id);
        const set: Record<string, unknown> = { updated_at: now(), version: newVersion() };
        if (change.pattern !== undefined) set.pattern = change.pattern;
        if (change.startDelimiter !== undefined) set.start_delimiter = change.startDelimiter;
        if (change.endDelimiter !== undefined) set.end_delimiter = change.endDelimiter;
        if (change.mustMatch !== undefined) set.must_match = jsonOrNull(change.mustMatch);
        if (change.mustNotMatch !== undefined) set.must_not_match = jsonOrNull(change.mustNotMatch);
        if (change.state !== undefined) set.state = change.state;
        if (change.pushProtectionEnabled !== undefined) set.push_protection_enabled = bit(change.pushProtectionEnabled);
        // The version names the text that matches: it changes only with the regexes, so a concurrent
        // edit of them is caught; publishing or push protection alone keeps it.
        const matching = ["pattern", "start_delimiter", "end_delimiter", "must_match", "must_not_match"].some(
          (k) => k in set,
        );
        if (!matching) delete set.version;
        const updated = await trx
          .updateTable("custom_patterns")
          .set(set as never)
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return toPattern(updated);
      });
    },
    async deleteMany(items) {
      return db.transaction().execute(async (trx) => {
        const deleted: CustomPattern[] = [];
        for (const item of items) {
          const row = await trx.selectFrom("custom_patterns").selectAll().where("id", "=", item.id).executeTakeFirst();
          if (!row) throw new StoreNotFoundError(`custom pattern ${item.id} not found`);
          if (item.version !== null && row.version !== item.version) throw new CustomPatternVersionMismatch(item.id);
          await trx.deleteFrom("custom_patterns").where("id", "=", item.id).execute();
          deleted.push(toPattern(row));
        }
        return deleted;
      });
    },
    async publishedFor(repoId, orgId) {
      const rows = await db
        .selectFrom("custom_patterns")
        .selectAll()
        .where("state", "=", "published")
        .where((eb) =>
          eb.or([
            eb.and([eb("scope", "=", "repository"), eb("repo_id", "=", repoId)]),
            eb.and([eb("scope", "=", "organization"), eb("org_id", "=", orgId)]),
            eb("scope", "=", "enterprise"),
          ]),
        )
        .orderBy("id")
        .execute();
      return rows.map(toPattern);
    },
    async recordScan(scanId, pattern, cause) {
      await db
        .insertInto("custom_pattern_scans")
        .values({
          scan_id: scanId,
          pattern_name: pattern.name,
          pattern_scope: pattern.scope,
          scan_type: cause?.type ?? "custom-pattern-backfill",
          sender_id: cause?.senderId ?? null,
        })
        .execute();
    },
    async scanPatterns(scanIds) {
      const found = new Map<number, CustomPatternScanInfo>();
      if (scanIds.length === 0) return found;
      const rows = await db.selectFrom("custom_pattern_scans").selectAll().where("scan_id", "in", scanIds).execute();
      for (const row of rows)
        found.set(Number(row.scan_id), {
          name: row.pattern_name,
          scope: row.pattern_scope as CustomPattern["scope"],
          type: row.scan_type === "pattern-version-backfill" ? "pattern-version-backfill" : "custom-pattern-backfill",
          senderId: row.sender_id === null ? null : Number(row.sender_id),
        });
      return found;
    },
    async deleteAlerts(repoIds, secretType) {
      if (repoIds.length === 0) return 0;
      // Locations, events and partner reports go with them (ON DELETE CASCADE).
      const result = await db
        .deleteFrom("alerts")
        .where("repo_id", "in", repoIds)
        .where("secret_type", "=", secretType)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async createDryRun(input) {
      const row = await db
        .insertInto("custom_pattern_dry_runs")
        .values({
          pattern_id: input.patternId,
          pattern_version: input.patternVersion,
          status: "queued",
          repo_ids: JSON.stringify(input.repoIds),
          result_count: 0,
          sealed_results: null,
          error: null,
          created_by: input.createdBy,
          created_at: now(),
          completed_at: null,
        } as never)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDryRun(row);
    },
    async updateDryRun(id, patch) {
      const set: Record<string, unknown> = { status: patch.status };
      if (patch.resultCount !== undefined) set.result_count = patch.resultCount;
      if (patch.results !== undefined) set.sealed_results = secretBox.seal(JSON.stringify(patch.results));
      if (patch.error !== undefined) set.error = patch.error;
      if (patch.status === "completed" || patch.status === "failed") set.completed_at = now();
      const row = await db
        .updateTable("custom_pattern_dry_runs")
        .set(set as never)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new StoreNotFoundError(`dry run ${id} not found`);
      return toDryRun(row);
    },
    async latestDryRun(patternId) {
      const row = await db
        .selectFrom("custom_pattern_dry_runs")
        .selectAll()
        .where("pattern_id", "=", patternId)
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
      return row ? toDryRun(row) : null;
    },
  };
  return store;
}
