import type { Kysely, Migration } from "kysely";

/**
 * Listing one repository's alerts a page at a time: GitHub's default list filters on the category
 * (generic types only when asked for) and orders by time. These indexes hold the filter, the order
 * and the state, so the page's ids come from the index alone and only the 30 rows of the page are
 * read from the table, whatever the page number.
 */
export const alertListIndexesMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createIndex("alerts_repo_category_created").on("alerts").columns(["repo_id", "secret_category", "created_at", "id", "state"]).execute();
    await db.schema.createIndex("alerts_repo_category_updated").on("alerts").columns(["repo_id", "secret_category", "updated_at", "id", "state"]).execute();
  },
};
