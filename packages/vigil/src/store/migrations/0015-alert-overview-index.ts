import type { Kysely, Migration } from "kysely";

/**
 * The security overview counts an organization's alerts by repository, type, state and validity and
 * buckets their detection and closing days. This index holds every column those queries read, so
 * they scan the index alone and never the wide alert rows (secrets, comments), at 100,000 alerts.
 */
export const alertOverviewIndexMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createIndex("alerts_overview")
      .on("alerts")
      .columns(["repo_id", "secret_type", "state", "validity", "created_at", "resolved_at"])
      .execute();
  },
};
