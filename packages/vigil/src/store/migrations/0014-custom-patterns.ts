import type { ColumnDefinitionBuilder, Kysely, Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/**
 * Users' custom patterns, as GitHub's REST API has them (repository, organization and enterprise
 * scopes), and their dry runs. A dry run's sample results hold the secrets it found: sealed with the
 * secret box, like every stored secret.
 */
export const customPatternsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    const pk = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());

    await db.schema
      .createTable("custom_patterns")
      .addColumn("id", t.id, pk)
      // repository | organization | enterprise
      .addColumn("scope", "text", (c) => c.notNull())
      .addColumn("repo_id", "integer", (c) => c.references("repositories.id").onDelete("cascade"))
      .addColumn("org_id", "integer", (c) => c.references("organizations.id").onDelete("cascade"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("slug", "text", (c) => c.notNull())
      .addColumn("pattern", "text", (c) => c.notNull())
      .addColumn("start_delimiter", "text")
      .addColumn("end_delimiter", "text")
      .addColumn("must_match", t.json)
      .addColumn("must_not_match", t.json)
      // published | unpublished
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("push_protection_enabled", t.bool, (c) => c.notNull().defaultTo(t.false))
      // Changes with every edit: optimistic concurrency (`custom_pattern_version`).
      .addColumn("version", "text", (c) => c.notNull())
      .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("updated_at", t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex("custom_patterns_repo").on("custom_patterns").column("repo_id").execute();
    await db.schema.createIndex("custom_patterns_org").on("custom_patterns").column("org_id").execute();

    await db.schema
      .createTable("custom_pattern_dry_runs")
      .addColumn("id", t.id, pk)
      .addColumn("pattern_id", "integer", (c) => c.notNull().references("custom_patterns.id").onDelete("cascade"))
      // The pattern's version the dry run ran.
      .addColumn("pattern_version", "text", (c) => c.notNull())
      // queued | in_progress | completed | failed
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("repo_ids", t.json, (c) => c.notNull())
      .addColumn("result_count", "integer", (c) => c.notNull().defaultTo(0))
      // JSON of the sample results, sealed (they hold the secrets found).
      .addColumn("sealed_results", "text")
      .addColumn("error", "text")
      .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("completed_at", t.time)
      .execute();
    // Which pattern a `custom_pattern_backfill` scan ran (GitHub's `pattern_name`, `pattern_scope`); kept
    // when the pattern is deleted, as the scan history is.
    await db.schema
      .createTable("custom_pattern_scans")
      .addColumn("scan_id", "integer", (c) => c.primaryKey().references("scans.id").onDelete("cascade"))
      .addColumn("pattern_name", "text", (c) => c.notNull())
      .addColumn("pattern_scope", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("custom_pattern_dry_runs_pattern")
      .on("custom_pattern_dry_runs")
      .column("pattern_id")
      .execute();
  },
};
