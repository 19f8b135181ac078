import { sql, type Kysely } from "kysely";
import type { Validity } from "../alerts/types.js";
import type { DueAlert, ValidityCheckSource, ValidityStore } from "../validity/validity-store.js";
import { bit } from "./row-mapping.js";

interface ValidityTables {
  org_validity_settings: { org_id: number; enabled: boolean | number; updated_at: string | Date };
  alert_validity_checks: {
    alert_id: number | string;
    checked_at: string | Date;
    result: string;
    detail: string;
    source: string;
  };
  alerts: { id: number | string; repo_id: number; number: number; state: string; secret_type: string };
  repositories: { id: number; org_id: number };
  alert_events: {
    id?: number;
    alert_id: number;
    repo_id: number;
    action: string;
    actor_id: number | null;
    payload: string;
    created_at: string;
    delivered_at: string | null;
  };
}

const iso = (value: string | Date): string => new Date(value).toISOString();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shares the alert store's connection, typed with its own tables
export function createValidityStore(options: { db: Kysely<any>; now?: () => Date }): ValidityStore {
  const db = options.db as unknown as Kysely<ValidityTables>;
  const clock = options.now ?? (() => new Date());

  return {
    async isEnabled(orgId) {
      const row = await db
        .selectFrom("org_validity_settings")
        .select("enabled")
        .where("org_id", "=", orgId)
        .executeTakeFirst();
      return row !== undefined && (row.enabled === true || row.enabled === 1);
    },

    async setEnabled(orgId, enabled) {
      const at = clock().toISOString();
      await db
        .insertInto("org_validity_settings")
        .values({ org_id: orgId, enabled: bit(enabled), updated_at: at })
        .onConflict((oc) => oc.column("org_id").doUpdateSet({ enabled: bit(enabled), updated_at: at }))
        .execute();
    },

    async recordCheck(record) {
      const values = {
        checked_at: record.checkedAt,
        result: record.result,
        detail: record.detail,
        source: record.source,
      };
      await db
        .insertInto("alert_validity_checks")
        .values({ alert_id: record.alertId, ...values })
        .onConflict((oc) => oc.column("alert_id").doUpdateSet(values))
        .execute();
    },

    async getCheck(alertId) {
      const row = await db
        .selectFrom("alert_validity_checks")
        .selectAll()
        .where("alert_id", "=", alertId)
        .executeTakeFirst();
      if (!row) return null;
      return {
        alertId: Number(row.alert_id),
        checkedAt: iso(row.checked_at),
        result: row.result as Validity,
        detail: row.detail,
        source: row.source as ValidityCheckSource,
      };
    },

    async listDue({ secretTypes, checkedBefore, unknownCheckedBefore, limit }) {
      if (secretTypes.length === 0) return [];
      const rows = await db
        .selectFrom("alerts as a")
        .innerJoin("repositories as r", "r.id", "a.repo_id")
        .innerJoin("org_validity_settings as s", "s.org_id", "r.org_id")
        .leftJoin("alert_validity_checks as v", "v.alert_id", "a.id")
        .select(["a.id", "a.repo_id", "a.number", "v.checked_at"])
        .where("a.state", "=", "open")
        .where("a.secret_type", "in", [...secretTypes])
        // PostgreSQL takes 1 for a boolean parameter; SQLite keeps 1.
        .where("s.enabled", "=", 1)
        .where((eb) =>
          eb.or([
            eb("v.checked_at", "is", null),
            eb("v.checked_at", "<", checkedBefore),
            ...(unknownCheckedBefore
              ? [eb.and([eb("v.result", "=", "unknown"), eb("v.checked_at", "<", unknownCheckedBefore)])]
              : []),
          ]),
        )
        // Never-checked alerts (just created) first, then the longest unchecked.
        .orderBy(sql`case when v.checked_at is null then 0 else 1 end`)
        .orderBy("v.checked_at")
        .orderBy("a.id")
        .limit(limit)
        .execute();
      return rows.map((row): DueAlert => ({
        alertId: Number(row.id),
        repoId: Number(row.repo_id),
        number: Number(row.number),
        neverChecked: row.checked_at === null,
      }));
    },

    async recordTimelineEntry(alert, payload, actorId) {
      const at = clock().toISOString();
      // Delivered at birth: a Vigil timeline entry, not a GitHub webhook action.
      await db
        .insertInto("alert_events")
        .values({
          alert_id: alert.id,
          repo_id: alert.repoId,
          action: "validity_checked",
          actor_id: actorId,
          payload: JSON.stringify(payload),
          created_at: at,
          delivered_at: at,
        })
        .execute();
    },
  };
}
