import { sql, type Kysely, type Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/**
 * Also: an index of the scans waiting or running (a partial index, both dialects have them), so the
 * serving node's sweep for pending scans reads a few rows, not every repository's history.
 *
 * Where a repository's content backfill (issues, pull requests and comments through the forge's REST
 * API) stands: the forge, the endpoint and the next page. In the store, so the `content-backfill`
 * job resumes on any worker after a rate limit, a retry or a killed worker. Never a token.
 */
export const contentBackfillsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    await db.schema
      .createTable("content_backfills")
      .addColumn("repo_id", "integer", (col) => col.primaryKey().references("repositories.id").onDelete("cascade"))
      .addColumn("forge_url", "text", (col) => col.notNull())
      .addColumn("forge_repo", "text", (col) => col.notNull())
      .addColumn("state", "text", (col) => col.notNull())
      .addColumn("updated_at", t.time, (col) => col.notNull())
      .execute();
    await sql`create index scans_waiting on scans (status, id) where status in ('pending', 'running')`.execute(db);
  },
};
