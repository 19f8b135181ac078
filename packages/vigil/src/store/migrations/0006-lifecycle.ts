import type { Kysely, Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/**
 * A repository's link template for the git server's web view (`html_url` of its alert locations),
 * and why its mirror last failed (git's message, credentials removed), cleared by the next fetch that works.
 */
export const lifecycleMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    await db.schema.alterTable("repositories").addColumn("web_url_template", "text").execute();
    await db.schema.alterTable("repositories").addColumn("mirror_error", "text").execute();
    await db.schema.alterTable("repositories").addColumn("mirror_failed_at", t.time).execute();
  },
};
