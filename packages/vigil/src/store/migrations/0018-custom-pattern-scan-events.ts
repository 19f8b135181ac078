import type { Kysely, Migration } from "kysely";

/**
 * What GitHub's `secret_scanning_scan` webhook says of a custom pattern's scan beyond its name and
 * level: whether it was the backfill of a newly published pattern (`custom-pattern-backfill`) or of a
 * new version after an edit (`pattern-version-backfill`), and who published or edited it (`sender`).
 * Rows written before this migration have neither: they read as `custom-pattern-backfill` without a
 * sender.
 */
export const customPatternScanEventsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("custom_pattern_scans").addColumn("scan_type", "text").execute();
    await db.schema
      .alterTable("custom_pattern_scans")
      .addColumn("sender_id", "integer", (c) => c.references("users.id").onDelete("set null"))
      .execute();
  },
};
