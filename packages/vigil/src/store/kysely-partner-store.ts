import { createHash, generateKeyPairSync } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import { StoreConflictError } from "../alerts/alert-store.js";
import type {
  DueReport,
  Partner,
  PartnerReportRecord,
  PartnerStore,
  ReportStatus,
  SigningKey,
} from "../partners/partner-store.js";
import type { DialectName } from "./database.js";
import { bit, fromJson, toBool, toIso, toIsoOrNull } from "./row-mapping.js";
import type { SecretBox } from "./secret-box.js";
import type { Database } from "./tables.js";

type Db = Kysely<Database> | Transaction<Database>;

export interface PartnerStoreOptions {
  db: Kysely<Database>;
  dialect: DialectName;
  secretBox: SecretBox;
  now?: () => Date;
}

/**
 * Queues a report to every partner that accepts the alert's type: for an alert in a public
 * repository (or leaked publicly), or to partners that take reports from any repository. Runs in
 * the alert's transaction, so an alert and its reports are written together. One report per
 * partner and alert, however often the alert is seen.
 */
export async function enqueuePartnerReports(
  trx: Db,
  alerts: { id: number; secretType: string }[],
  isPublic: boolean,
  at: string,
): Promise<number> {
  if (alerts.length === 0) return 0;
  // One query for the partners of every type involved (usually none: most instances have few partners).
  let query = trx
    .selectFrom("partner_secret_types as t")
    .innerJoin("partners as p", "p.id", "t.partner_id")
    .select(["p.id", "t.secret_type"])
    .where("t.secret_type", "in", [...new Set(alerts.map((a) => a.secretType))]);
  if (!isPublic) query = query.where("p.report_all", "=", bit(true));
  const rows = await query.execute();
  if (rows.length === 0) return 0;
  let queued = 0;
  for (const alert of alerts) {
    for (const partner of rows.filter((r) => r.secret_type === alert.secretType)) {
      const result = await trx
        .insertInto("partner_reports")
        .values({ partner_id: partner.id, alert_id: alert.id, status: "pending", next_attempt_at: at, created_at: at })
        .onConflict((oc) => oc.columns(["partner_id", "alert_id"]).doNothing())
        .executeTakeFirst();
      queued += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
  }
  return queued;
}

export function createPartnerStore(options: PartnerStoreOptions): PartnerStore {
  const { db, secretBox } = options;
  const clock = options.now ?? (() => new Date());
  const now = (): string => clock().toISOString();
  const postgres = options.dialect === "postgres";

  async function partnerRows(from: Db, where?: { name?: string; id?: number }): Promise<Partner[]> {
    let query = from.selectFrom("partners").selectAll().orderBy("id");
    if (where?.name !== undefined) query = query.where(sql`lower(name)`, "=", sql`lower(${where.name})`);
    if (where?.id !== undefined) query = query.where("id", "=", where.id);
    const rows = await query.execute();
    const partners: Partner[] = [];
    for (const row of rows) {
      const types = await from
        .selectFrom("partner_secret_types")
        .select("secret_type")
        .where("partner_id", "=", row.id)
        .orderBy("secret_type")
        .execute();
      partners.push({
        id: Number(row.id),
        name: row.name,
        url: row.url,
        secretTypes: types.map((t) => t.secret_type),
        reportAll: toBool(row.report_all),
        createdAt: toIso(row.created_at),
      });
    }
    return partners;
  }

  const toKey = (row: {
    key_identifier: string;
    public_key: string;
    is_current: boolean | number;
    created_at: string | Date;
  }): SigningKey => ({
    keyIdentifier: row.key_identifier,
    publicKey: row.public_key,
    isCurrent: toBool(row.is_current),
    createdAt: toIso(row.created_at),
  });

  async function createKey(trx: Transaction<Database>): Promise<void> {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const der = publicKey.export({ type: "spki", format: "der" });
    await trx
      .updateTable("partner_signing_keys")
      .set({ is_current: 0, retired_at: now() })
      .where("is_current", "=", bit(true))
      .execute();
    await trx
      .insertInto("partner_signing_keys")
      .values({
        key_identifier: createHash("sha256").update(der).digest("hex"),
        public_key: publicKey.export({ type: "spki", format: "pem" }).toString(),
        private_key_ciphertext: secretBox.seal(privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
        is_current: 1,
        created_at: now(),
      })
      .execute();
  }

  async function ensureKey(): Promise<void> {
    const existing = await db
      .selectFrom("partner_signing_keys")
      .select("id")
      .where("is_current", "=", bit(true))
      .executeTakeFirst();
    if (existing) return;
    await db.transaction().execute(async (trx) => {
      // Two processes starting at once: the second sees the first's key once it holds the write lock.
      if (postgres) await sql`lock table partner_signing_keys in exclusive mode`.execute(trx);
      const again = await trx
        .selectFrom("partner_signing_keys")
        .select("id")
        .where("is_current", "=", bit(true))
        .executeTakeFirst();
      if (!again) await createKey(trx);
    });
  }

  async function event(trx: Db, alertId: number, action: string, payload: Record<string, unknown>): Promise<void> {
    const alert = await trx.selectFrom("alerts").select(["repo_id"]).where("id", "=", alertId).executeTakeFirst();
    if (!alert) return;
    await trx
      .insertInto("alert_events")
      .values({
        alert_id: alertId,
        repo_id: alert.repo_id,
        action,
        actor_id: null,
        payload: JSON.stringify(payload),
        created_at: now(),
      })
      .execute();
  }

  return {
    async addPartner(input) {
      try {
        return await db.transaction().execute(async (trx) => {
          const { id } = await trx
            .insertInto("partners")
            .values({ name: input.name, url: input.url, report_all: bit(input.reportAll ?? false), created_at: now() })
            .returning("id")
            .executeTakeFirstOrThrow();
          for (const type of new Set(input.secretTypes)) {
            await trx
              .insertInto("partner_secret_types")
              .values({ partner_id: Number(id), secret_type: type })
              .execute();
          }
          return (await partnerRows(trx, { id: Number(id) }))[0]!;
        });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE")
          throw new StoreConflictError(`a partner named ${input.name} already exists`);
        throw error;
      }
    },
    listPartners: () => partnerRows(db),
    async getPartner(name) {
      return (await partnerRows(db, { name }))[0] ?? null;
    },
    async getPartnerById(id) {
      return (await partnerRows(db, { id }))[0] ?? null;
    },
    async removePartner(name) {
      const partner = (await partnerRows(db, { name }))[0];
      if (!partner) return false;
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("partner_reports").where("partner_id", "=", partner.id).execute();
        await trx.deleteFrom("partner_secret_types").where("partner_id", "=", partner.id).execute();
        await trx.deleteFrom("partners").where("id", "=", partner.id).execute();
      });
      return true;
    },

    async listSigningKeys() {
      await ensureKey();
      const rows = await db
        .selectFrom("partner_signing_keys")
        .selectAll()
        .orderBy("is_current", "desc")
        .orderBy("id", "desc")
        .execute();
      return rows.map(toKey);
    },
    async currentSigningKey() {
      await ensureKey();
      const row = await db
        .selectFrom("partner_signing_keys")
        .selectAll()
        .where("is_current", "=", bit(true))
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      return { ...toKey(row), privateKey: secretBox.open(row.private_key_ciphertext) };
    },
    async rotateSigningKey() {
      await db.transaction().execute(async (trx) => {
        if (postgres) await sql`lock table partner_signing_keys in exclusive mode`.execute(trx);
        await createKey(trx);
      });
      const row = await db
        .selectFrom("partner_signing_keys")
        .selectAll()
        .where("is_current", "=", bit(true))
        .executeTakeFirstOrThrow();
      return toKey(row);
    },

    async hasDueReports() {
      const row = await db
        .selectFrom("partner_reports")
        .select(["id"])
        .where("status", "in", ["pending", "sending"])
        .where("next_attempt_at", "<=", clock().toISOString())
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async claimDueReports(limit, leaseMs) {
      const at = clock();
      const claimed = await db.transaction().execute(async (trx) => {
        let query = trx
          .selectFrom("partner_reports")
          .select(["id"])
          .where("status", "in", ["pending", "sending"])
          .where("next_attempt_at", "<=", at.toISOString())
          .orderBy("next_attempt_at")
          .orderBy("id")
          .limit(limit);
        if (postgres) query = query.forUpdate().skipLocked();
        const ids = (await query.execute()).map((r) => Number(r.id));
        if (ids.length === 0) return [];
        return (
          trx
            .updateTable("partner_reports")
            .set((eb) => ({
              status: "sending",
              attempts: eb("attempts", "+", 1),
              next_attempt_at: new Date(at.getTime() + leaseMs).toISOString(),
            }))
            .where("id", "in", ids)
            // Still due: another process that selected the same rows first has leased them (SQLite has no SKIP LOCKED).
            .where("status", "in", ["pending", "sending"])
            .where("next_attempt_at", "<=", at.toISOString())
            .returning("id")
            .execute()
            .then((rows) => rows.map((r) => Number(r.id)))
        );
      });
      if (claimed.length === 0) return [];
      const rows = await db
        .selectFrom("partner_reports as pr")
        .innerJoin("alerts as a", "a.id", "pr.alert_id")
        .innerJoin("repositories as r", "r.id", "a.repo_id")
        .innerJoin("organizations as o", "o.id", "r.org_id")
        .leftJoin("alert_locations as l", "l.id", "a.first_location_id")
        .select([
          "pr.id",
          "pr.partner_id",
          "pr.alert_id",
          "pr.attempts",
          "a.repo_id",
          "a.number",
          "a.secret_type",
          "a.secret_ciphertext",
          "r.name as repo_name",
          "o.login as owner_login",
          "l.type as loc_type",
          "l.details as loc_details",
        ])
        .where("pr.id", "in", claimed)
        .orderBy("pr.id")
        .execute();
      return rows.map((row): DueReport => ({
        id: Number(row.id),
        partnerId: Number(row.partner_id),
        alertId: Number(row.alert_id),
        repoId: Number(row.repo_id),
        alertNumber: Number(row.number),
        attempts: Number(row.attempts),
        secretType: row.secret_type,
        token: secretBox.open(row.secret_ciphertext),
        repoFullName: `${row.owner_login}/${row.repo_name}`,
        location: row.loc_type
          ? { type: row.loc_type, details: fromJson<Record<string, unknown>>(row.loc_details) }
          : null,
      }));
    },

    async completeReport(id, outcome) {
      await db.transaction().execute(async (trx) => {
        const report = await trx
          .selectFrom("partner_reports")
          .select(["alert_id", "status"])
          .where("id", "=", id)
          .executeTakeFirst();
        if (!report || report.status === "reported") return;
        await trx
          .updateTable("partner_reports")
          .set({ status: "reported", reported_at: now(), label: outcome.label, last_error: null })
          .where("id", "=", id)
          .execute();
        await event(trx, Number(report.alert_id), "partner_reported", { partner: outcome.partnerName });
        if (outcome.label !== null) {
          await trx
            .updateTable("alerts")
            .set({ partner_label: outcome.label, updated_at: now() })
            .where("id", "=", report.alert_id)
            .execute();
          await event(trx, Number(report.alert_id), "partner_labeled", {
            partner: outcome.partnerName,
            label: outcome.label,
          });
        }
      });
    },

    async retryReport(id, error, retryAt) {
      await db
        .updateTable("partner_reports")
        .set({
          status: retryAt ? "pending" : "failed",
          next_attempt_at: (retryAt ?? clock()).toISOString(),
          last_error: error.slice(0, 500),
        })
        .where("id", "=", id)
        .where("status", "=", "sending")
        .execute();
    },

    async noteOwnerNotified(secret, owner) {
      const alerts = await db
        .selectFrom("alerts")
        .select("id")
        .where("secret_hash", "=", secretBox.hash(secret))
        .execute();
      for (const alert of alerts)
        await event(db, Number(alert.id), "owner_notified", { owner: owner.login, email: owner.email });
      return alerts.length;
    },

    async listReports(filter) {
      let query = db.selectFrom("partner_reports").selectAll().orderBy("id");
      if (filter?.alertId !== undefined) query = query.where("alert_id", "=", filter.alertId);
      const rows = await query.execute();
      return rows.map((row): PartnerReportRecord => ({
        id: Number(row.id),
        partnerId: Number(row.partner_id),
        alertId: Number(row.alert_id),
        status: row.status as ReportStatus,
        attempts: Number(row.attempts),
        label: row.label,
        lastError: row.last_error,
        reportedAt: toIsoOrNull(row.reported_at),
      }));
    },
  };
}
