import type { Kysely, Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/**
 * Validity checks: the organization's switch (off until an owner turns it on, as on GitHub) and, per
 * alert, when its secret was last checked with its issuer and what came back. The alert's own
 * `validity` column keeps the result the API and filters read.
 */
export const validityChecksMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    await db.schema
      .createTable("org_validity_settings")
      .addColumn("org_id", "integer", (c) => c.primaryKey().references("organizations.id").onDelete("cascade"))
      .addColumn("enabled", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("updated_at", t.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("alert_validity_checks")
      .addColumn("alert_id", t.bigRef, (c) => c.primaryKey().references("alerts.id").onDelete("cascade"))
      .addColumn("checked_at", t.time, (c) => c.notNull())
      // active | inactive | unknown: what the issuer's answer meant (unknown: no answer, an outage, a missing pair).
      .addColumn("result", "text", (c) => c.notNull())
      // `HTTP 401`, `time budget spent`: never the secret.
      .addColumn("detail", "text", (c) => c.notNull())
      // on_creation | on_demand | periodic
      .addColumn("source", "text", (c) => c.notNull())
      .execute();
    // The periodic sweep walks checks oldest first.
    await db.schema
      .createIndex("alert_validity_checks_checked_at")
      .on("alert_validity_checks")
      .column("checked_at")
      .execute();
  },
};
