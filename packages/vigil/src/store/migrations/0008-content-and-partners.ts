import type { ColumnDefinitionBuilder, Kysely, Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/**
 * Content beyond git and the partner loop: public repositories, the partner's label on an alert,
 * registered partners and the secret types they accept, the durable queue of reports to them, and
 * the signing keys Vigil reports with (private keys sealed by the secret box).
 */
export const contentAndPartnersMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    const pk = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());

    await db.schema
      .alterTable("repositories")
      .addColumn("is_public", t.bool, (c) => c.notNull().defaultTo(t.false))
      .execute();
    await db.schema.alterTable("alerts").addColumn("partner_label", "text").execute();

    await db.schema
      .createTable("partners")
      .addColumn("id", t.id, pk)
      .addColumn("name", "text", (c) => c.notNull().unique())
      .addColumn("url", "text", (c) => c.notNull())
      // Report secrets found in any repository, not only public ones.
      .addColumn("report_all", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("created_at", t.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("partner_secret_types")
      .addColumn("partner_id", "integer", (c) => c.notNull().references("partners.id").onDelete("cascade"))
      .addColumn("secret_type", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("partner_secret_types_pkey", ["partner_id", "secret_type"])
      .execute();
    await db.schema
      .createIndex("partner_secret_types_type")
      .on("partner_secret_types")
      .columns(["secret_type", "partner_id"])
      .execute();

    // The durable queue of reports: one row per partner and alert; the token is read from the alert (sealed there).
    await db.schema
      .createTable("partner_reports")
      .addColumn("id", t.bigId, pk)
      .addColumn("partner_id", "integer", (c) => c.notNull().references("partners.id").onDelete("cascade"))
      .addColumn("alert_id", t.bigRef, (c) => c.notNull().references("alerts.id").onDelete("cascade"))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_attempt_at", t.time, (c) => c.notNull())
      .addColumn("last_error", "text")
      .addColumn("label", "text")
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("reported_at", t.time)
      .addUniqueConstraint("partner_reports_partner_alert_key", ["partner_id", "alert_id"])
      .execute();
    await db.schema
      .createIndex("partner_reports_due")
      .on("partner_reports")
      .columns(["status", "next_attempt_at"])
      .execute();

    await db.schema
      .createTable("partner_signing_keys")
      .addColumn("id", t.id, pk)
      .addColumn("key_identifier", "text", (c) => c.notNull().unique())
      .addColumn("public_key", "text", (c) => c.notNull())
      .addColumn("private_key_ciphertext", "text", (c) => c.notNull())
      .addColumn("is_current", t.bool, (c) => c.notNull())
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("retired_at", t.time)
      .execute();
  },
};
