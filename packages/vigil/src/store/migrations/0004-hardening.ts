import type { Kysely, Migration } from "kysely";

/**
 * Mirror credentials encrypted at rest: a mirror URL that carries a password or token is kept here,
 * sealed by the store's secret box, and `repositories.source_url` holds it masked. Existing rows are
 * sealed when the store opens (the migration has no key).
 */
export const hardeningMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable("repository_sources")
      .addColumn("repo_id", "integer", (col) => col.primaryKey().references("repositories.id").onDelete("cascade"))
      .addColumn("sealed_url", "text", (col) => col.notNull())
      .execute();
  },
};
