import type { Kysely, Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/**
 * The other half of an alert's secret when the engine found a pair (an AWS secret access key beside
 * its key id), sealed by the secret box like the secret itself. A validity check of the pair needs
 * both halves; the API never shows it. A table of its own: alert reads never decrypt it.
 */
export const alertPairedSecretsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    await db.schema
      .createTable("alert_paired_secrets")
      .addColumn("alert_id", t.bigRef, (c) => c.primaryKey().references("alerts.id").onDelete("cascade"))
      .addColumn("secret_type", "text", (c) => c.notNull())
      .addColumn("sealed_secret", "text", (c) => c.notNull())
      .addColumn("created_at", t.time, (c) => c.notNull())
      .execute();
  },
};
