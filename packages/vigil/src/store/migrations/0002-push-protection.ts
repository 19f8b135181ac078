import type { ColumnDefinitionBuilder, Kysely, Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/** Push protection: secrets a push was blocked on (and their bypasses), push outcomes for metrics, per-organization pattern settings. */
export const pushProtectionMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    const pk = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());

    await db.schema
      .createTable("push_protection_placeholders")
      .addColumn("placeholder_id", "text", (c) => c.primaryKey())
      .addColumn("repo_id", "integer", (c) => c.notNull().references("repositories.id").onDelete("cascade"))
      .addColumn("pusher_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("secret_type", "text", (c) => c.notNull())
      .addColumn("secret_type_display_name", "text", (c) => c.notNull())
      .addColumn("secret_hash", "text", (c) => c.notNull())
      .addColumn("commit_sha", "text", (c) => c.notNull())
      .addColumn("path", "text", (c) => c.notNull())
      .addColumn("line", "integer", (c) => c.notNull())
      .addColumn("ref", "text", (c) => c.notNull())
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("reason", "text")
      .addColumn("bypassed_at", t.time)
      .addColumn("expires_at", t.time)
      .addColumn("used_at", t.time)
      .execute();
    await db.schema
      .createIndex("push_protection_placeholders_lookup")
      .on("push_protection_placeholders")
      .columns(["repo_id", "pusher_id", "secret_type", "secret_hash"])
      .execute();

    await db.schema
      .createTable("push_events")
      .addColumn("id", t.id, pk)
      .addColumn("repo_id", "integer", (c) => c.notNull().references("repositories.id").onDelete("cascade"))
      .addColumn("pusher_id", "integer", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("secret_types", t.json, (c) => c.notNull())
      .addColumn("reason", "text")
      .addColumn("created_at", t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex("push_events_repo_created").on("push_events").columns(["repo_id", "created_at"]).execute();

    await db.schema
      .createTable("pattern_configs")
      // `org:<id>` or `enterprise`: an organization's settings override the enterprise's.
      .addColumn("scope", "text", (c) => c.primaryKey())
      .addColumn("version", "text", (c) => c.notNull())
      .addColumn("settings", t.json, (c) => c.notNull())
      .addColumn("updated_at", t.time, (c) => c.notNull())
      .execute();
  },
};
