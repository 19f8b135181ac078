import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { BypassReason } from "../alerts/types.js";
import type { BypassPlaceholder, PatternConfig, PatternSetting, PushMetrics, PushProtectionStore } from "../push-protection/push-protection-store.js";
import type { SecretBox } from "./secret-box.js";

interface PlaceholdersTable {
  placeholder_id: string;
  repo_id: number;
  pusher_id: number;
  secret_type: string;
  secret_type_display_name: string;
  secret_hash: string;
  commit_sha: string;
  path: string;
  line: number;
  ref: string;
  created_at: string | Date;
  reason: string | null;
  bypassed_at: string | Date | null;
  expires_at: string | Date | null;
  used_at: string | Date | null;
}

interface PushEventsTable {
  id?: number;
  repo_id: number;
  pusher_id: number | null;
  outcome: string;
  secret_types: unknown;
  reason: string | null;
  created_at: string | Date;
}

interface PatternConfigsTable {
  scope: string;
  version: string;
  settings: unknown;
  updated_at: string | Date;
}

interface AlertsView {
  repo_id: number;
  secret_type: string;
  resolution: string | null;
}

interface PushProtectionTables {
  alerts: AlertsView;
  push_protection_placeholders: PlaceholdersTable;
  push_events: PushEventsTable;
  pattern_configs: PatternConfigsTable;
}

/** The version a pattern configuration starts at, before any PATCH. */
export const INITIAL_PATTERN_CONFIG_VERSION = "0";

const iso = (value: string | Date | null): string | null => (value === null ? null : new Date(value).toISOString());
const json = <T>(value: unknown): T => (typeof value === "string" ? (JSON.parse(value) as T) : (value as T));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shares the alert store's connection, typed with its own tables
export function createPushProtectionStore(options: { db: Kysely<any>; secretBox: SecretBox; now?: () => Date }): PushProtectionStore {
  // Its own tables, beside the alert store's: the same database, typed apart.
  const db = options.db as unknown as Kysely<PushProtectionTables>;
  const clock = options.now ?? (() => new Date());
  const toPlaceholder = (row: PlaceholdersTable): BypassPlaceholder => ({
    placeholderId: row.placeholder_id,
    repoId: row.repo_id,
    pusherId: row.pusher_id,
    secretType: row.secret_type,
    secretTypeDisplayName: row.secret_type_display_name,
    commitSha: row.commit_sha,
    path: row.path,
    line: row.line,
    ref: row.ref,
    createdAt: iso(row.created_at)!,
    reason: row.reason as BypassReason | null,
    bypassedAt: iso(row.bypassed_at),
    expiresAt: iso(row.expires_at),
    usedAt: iso(row.used_at),
  });

  return {
    async createPlaceholder(input) {
      // Unguessable: the id is what the pusher's allow URL carries.
      const placeholderId = randomBytes(18).toString("base64url");
      const row: PlaceholdersTable = {
        placeholder_id: placeholderId,
        repo_id: input.repoId,
        pusher_id: input.pusherId,
        secret_type: input.secretType,
        secret_type_display_name: input.secretTypeDisplayName,
        secret_hash: options.secretBox.hash(input.secret),
        commit_sha: input.commitSha,
        path: input.path,
        line: input.line,
        ref: input.ref,
        created_at: clock().toISOString(),
        reason: null,
        bypassed_at: null,
        expires_at: null,
        used_at: null,
      };
      await db.insertInto("push_protection_placeholders").values(row).execute();
      return toPlaceholder(row);
    },

    async getPlaceholder(placeholderId) {
      const row = await db.selectFrom("push_protection_placeholders").selectAll().where("placeholder_id", "=", placeholderId).executeTakeFirst();
      return row ? toPlaceholder(row) : null;
    },

    async allowPlaceholder(placeholderId, reason, ttlMs) {
      const at = clock();
      await db
        .updateTable("push_protection_placeholders")
        .set({ reason, bypassed_at: at.toISOString(), expires_at: new Date(at.getTime() + ttlMs).toISOString() })
        .where("placeholder_id", "=", placeholderId)
        .execute();
      const row = await db.selectFrom("push_protection_placeholders").selectAll().where("placeholder_id", "=", placeholderId).executeTakeFirstOrThrow();
      return toPlaceholder(row);
    },

    async findAllowance(repoId, pusherId, secretType, secret) {
      const rows = await db
        .selectFrom("push_protection_placeholders")
        .selectAll()
        .where("repo_id", "=", repoId)
        .where("pusher_id", "=", pusherId)
        .where("secret_type", "=", secretType)
        .where("secret_hash", "=", options.secretBox.hash(secret))
        .where("reason", "is not", null)
        .orderBy("bypassed_at", "desc")
        .execute();
      const now = clock().getTime();
      const row = rows.find((r) => r.expires_at !== null && new Date(r.expires_at).getTime() > now);
      return row ? toPlaceholder(row) : null;
    },

    async markPlaceholderUsed(placeholderId) {
      await db.updateTable("push_protection_placeholders").set({ used_at: clock().toISOString() }).where("placeholder_id", "=", placeholderId).execute();
    },

    async recordPushEvent(event) {
      await db
        .insertInto("push_events")
        .values({
          repo_id: event.repoId,
          pusher_id: event.pusherId,
          outcome: event.outcome,
          secret_types: JSON.stringify(event.secretTypes),
          reason: event.reason ?? null,
          created_at: clock().toISOString(),
        })
        .execute();
    },

    async pushMetrics(filter) {
      const metrics: PushMetrics = { blocked: 0, bypassed: 0, byType: [], byRepository: [], byReason: [], byDay: [] };
      if (filter.repoIds.length === 0) return metrics;
      let query = db.selectFrom("push_events").select(["repo_id", "outcome", "secret_types", "reason", "created_at"]).where("repo_id", "in", filter.repoIds);
      if (filter.since) query = query.where("created_at", ">=", filter.since);
      const types = new Map<string, { blocked: number; bypassed: number }>();
      const repos = new Map<number, { blocked: number; bypassed: number }>();
      const reasons = new Map<BypassReason, number>();
      const days = new Map<string, { blocked: number; bypassed: number }>();
      for (const row of await query.execute()) {
        const kind = row.outcome === "blocked" ? "blocked" : row.outcome === "bypassed" ? "bypassed" : null;
        if (!kind) continue;
        metrics[kind]++;
        const day = new Date(row.created_at).toISOString().slice(0, 10);
        const perDay = days.get(day) ?? { blocked: 0, bypassed: 0 };
        perDay[kind]++;
        days.set(day, perDay);
        const repo = repos.get(row.repo_id) ?? { blocked: 0, bypassed: 0 };
        repo[kind]++;
        repos.set(row.repo_id, repo);
        for (const type of json<string[]>(row.secret_types)) {
          const entry = types.get(type) ?? { blocked: 0, bypassed: 0 };
          entry[kind]++;
          types.set(type, entry);
        }
        if (kind === "bypassed" && row.reason) reasons.set(row.reason as BypassReason, (reasons.get(row.reason as BypassReason) ?? 0) + 1);
      }
      metrics.byType = [...types].map(([secretType, c]) => ({ secretType, ...c })).sort((a, b) => b.blocked - a.blocked || a.secretType.localeCompare(b.secretType));
      metrics.byRepository = [...repos].map(([repoId, c]) => ({ repoId, ...c })).sort((a, b) => b.blocked - a.blocked || a.repoId - b.repoId);
      metrics.byReason = [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
      metrics.byDay = [...days].map(([day, c]) => ({ day, ...c })).sort((a, b) => a.day.localeCompare(b.day));
      return metrics;
    },

    async alertStatsByType(repoIds) {
      const stats = new Map<string, { total: number; falsePositives: number }>();
      if (repoIds.length === 0) return stats;
      const rows = await db
        .selectFrom("alerts")
        .select((eb) => ["secret_type", eb.fn.countAll<number>().as("total"), eb.fn.sum<number>(eb.case().when("resolution", "=", "false_positive").then(1).else(0).end()).as("fp")])
        .where("repo_id", "in", repoIds)
        .groupBy("secret_type")
        .execute();
      for (const row of rows) stats.set(row.secret_type, { total: Number(row.total), falsePositives: Number(row.fp ?? 0) });
      return stats;
    },

    async getPatternConfig(scope) {
      const row = await db.selectFrom("pattern_configs").selectAll().where("scope", "=", scope).executeTakeFirst();
      if (!row) return { version: INITIAL_PATTERN_CONFIG_VERSION, settings: new Map() };
      return { version: row.version, settings: new Map(Object.entries(json<Record<string, PatternSetting>>(row.settings))) } satisfies PatternConfig;
    },

    async updatePatternConfig(scope, expectedVersion, settings) {
      const merged = new Map((await this.getPatternConfig(scope)).settings);
      for (const [id, setting] of settings) {
        if (setting === "not-set") merged.delete(id);
        else merged.set(id, setting);
      }
      const version = randomBytes(15).toString("base64url");
      const body = JSON.stringify(Object.fromEntries(merged));
      const updatedAt = clock().toISOString();
      const current = expectedVersion ?? INITIAL_PATTERN_CONFIG_VERSION;
      // Compare-and-set in one statement, so two concurrent PATCHes cannot both win.
      if (current === INITIAL_PATTERN_CONFIG_VERSION) {
        const inserted = await db
          .insertInto("pattern_configs")
          .values({ scope, version, settings: body, updated_at: updatedAt })
          .onConflict((oc) => oc.column("scope").doNothing())
          .executeTakeFirst();
        return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1 ? version : null;
      }
      const updated = await db
        .updateTable("pattern_configs")
        .set({ version, settings: body, updated_at: updatedAt })
        .where("scope", "=", scope)
        .where("version", "=", current)
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1 ? version : null;
    },
  };
}
