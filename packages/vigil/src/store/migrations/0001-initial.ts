import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/** Users, tokens, organizations, repositories, roles, alerts with their locations and events, scans. */
export const initialMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    const pk = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());

    await db.schema
      .createTable("users")
      .addColumn("id", t.id, pk)
      .addColumn("login", "text", (c) => c.notNull())
      .addColumn("name", "text")
      .addColumn("email", "text")
      .addColumn("site_admin", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("created_at", t.time, (c) => c.notNull())
      .execute();
    // Logins are case-insensitive, as on GitHub.
    await db.schema
      .createIndex("users_login_key")
      .on("users")
      .unique()
      .expression(sql`lower(login)`)
      .execute();

    await db.schema
      .createTable("tokens")
      .addColumn("id", t.id, pk)
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("prefix", "text", (c) => c.notNull())
      .addColumn("scopes", t.json, (c) => c.notNull())
      .addColumn("note", "text")
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("expires_at", t.time)
      .addColumn("last_used_at", t.time)
      .addColumn("revoked_at", t.time)
      .execute();
    await db.schema.createIndex("tokens_user_id").on("tokens").column("user_id").execute();

    await db.schema
      .createTable("organizations")
      .addColumn("id", t.id, pk)
      .addColumn("login", "text", (c) => c.notNull())
      .addColumn("secret_scanning_enabled", t.bool, (c) => c.notNull().defaultTo(t.true))
      .addColumn("push_protection_enabled", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("push_protection_custom_link", "text")
      .addColumn("created_at", t.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("organizations_login_key")
      .on("organizations")
      .unique()
      .expression(sql`lower(login)`)
      .execute();

    await db.schema
      .createTable("repositories")
      .addColumn("id", t.id, pk)
      .addColumn("org_id", "integer", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("source_url", "text")
      .addColumn("mirror_path", "text", (c) => c.notNull())
      .addColumn("secret_scanning_enabled", t.bool, (c) => c.notNull().defaultTo(t.true))
      .addColumn("push_protection_enabled", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("created_at", t.time, (c) => c.notNull())
      .execute();
    // Unique per organization, case-insensitively (GitHub's `Hello-World` is `hello-world`).
    await db.schema
      .createIndex("repositories_org_name_key")
      .on("repositories")
      .unique()
      .expression(sql`org_id, lower(name)`)
      .execute();

    await db.schema
      .createTable("org_members")
      .addColumn("org_id", "integer", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("role", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("org_members_pkey", ["org_id", "user_id"])
      .execute();
    await db.schema.createIndex("org_members_user_id").on("org_members").column("user_id").execute();

    await db.schema
      .createTable("repo_members")
      .addColumn("repo_id", "integer", (c) => c.notNull().references("repositories.id").onDelete("cascade"))
      .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("role", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("repo_members_pkey", ["repo_id", "user_id"])
      .execute();
    await db.schema.createIndex("repo_members_user_id").on("repo_members").column("user_id").execute();

    // Per-repository alert numbers, allocated inside the alert's transaction (the row lock serialises writers).
    await db.schema
      .createTable("repo_alert_counters")
      .addColumn("repo_id", "integer", (c) => c.primaryKey().references("repositories.id").onDelete("cascade"))
      .addColumn("last_number", "integer", (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable("alerts")
      .addColumn("id", t.bigId, pk)
      .addColumn("repo_id", "integer", (c) => c.notNull().references("repositories.id").onDelete("cascade"))
      .addColumn("number", "integer", (c) => c.notNull())
      .addColumn("secret_type", "text", (c) => c.notNull())
      .addColumn("secret_type_display_name", "text", (c) => c.notNull())
      .addColumn("provider", "text")
      .addColumn("provider_slug", "text")
      .addColumn("secret_category", "text", (c) => c.notNull())
      .addColumn("secret_ciphertext", "text", (c) => c.notNull())
      .addColumn("secret_hash", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("resolution", "text")
      .addColumn("resolved_at", t.time)
      .addColumn("resolved_by", "integer", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("resolution_comment", "text")
      .addColumn("assignee_id", "integer", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("validity", "text", (c) => c.notNull())
      .addColumn("is_base64_encoded", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("publicly_leaked", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("multi_repo", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("push_protection_bypassed", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("push_protection_bypassed_by", "integer", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("push_protection_bypassed_at", t.time)
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("updated_at", t.time, (c) => c.notNull())
      // Denormalised for listing; no foreign key, as alert_locations references alerts.
      .addColumn("first_location_id", t.bigRef)
      .addColumn("location_count", "integer", (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint("alerts_repo_number_key", ["repo_id", "number"])
      .addUniqueConstraint("alerts_repo_secret_key", ["repo_id", "secret_type", "secret_hash"])
      .execute();
    // Listing one repository: by state in creation order, or by creation or update time; the id breaks ties.
    await db.schema
      .createIndex("alerts_repo_state_created")
      .on("alerts")
      .columns(["repo_id", "state", "created_at", "id"])
      .execute();
    await db.schema.createIndex("alerts_repo_created").on("alerts").columns(["repo_id", "created_at", "id"]).execute();
    await db.schema.createIndex("alerts_repo_updated").on("alerts").columns(["repo_id", "updated_at", "id"]).execute();
    // Listing many repositories (an organization, the instance): walk the time order and filter on the
    // index entries themselves (covering the usual filters), stopping after one page.
    await db.schema
      .createIndex("alerts_created")
      .on("alerts")
      .columns(["created_at", "id", "repo_id", "state", "secret_category", "secret_type"])
      .execute();
    await db.schema
      .createIndex("alerts_updated")
      .on("alerts")
      .columns(["updated_at", "id", "repo_id", "state", "secret_category", "secret_type"])
      .execute();
    // Counting for the last page from the index alone: by repository, category, state, resolution and validity, or by type.
    await db.schema
      .createIndex("alerts_repo_category_state")
      .on("alerts")
      .columns(["repo_id", "secret_category", "state", "resolution", "validity"])
      .execute();
    await db.schema
      .createIndex("alerts_secret_type")
      .on("alerts")
      .columns(["secret_type", "repo_id", "state"])
      .execute();
    await db.schema.createIndex("alerts_secret_hash").on("alerts").columns(["secret_hash", "repo_id"]).execute();

    await db.schema
      .createTable("alert_locations")
      .addColumn("id", t.bigId, pk)
      .addColumn("alert_id", t.bigRef, (c) => c.notNull().references("alerts.id").onDelete("cascade"))
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("details", t.json, (c) => c.notNull())
      .addColumn("dedupe_key", "text", (c) => c.notNull())
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addUniqueConstraint("alert_locations_dedupe_key", ["alert_id", "dedupe_key"])
      .execute();

    // The alert timeline and the webhook outbox: written in the same transaction as the change.
    await db.schema
      .createTable("alert_events")
      .addColumn("id", t.bigId, pk)
      .addColumn("alert_id", t.bigRef, (c) => c.notNull().references("alerts.id").onDelete("cascade"))
      .addColumn("repo_id", "integer", (c) => c.notNull().references("repositories.id").onDelete("cascade"))
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("actor_id", "integer", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("payload", t.json, (c) => c.notNull())
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("delivered_at", t.time)
      .execute();
    await db.schema.createIndex("alert_events_alert").on("alert_events").columns(["alert_id", "id"]).execute();
    await db.schema
      .createIndex("alert_events_undelivered")
      .on("alert_events")
      .column("id")
      .where(sql.ref("delivered_at"), "is", null)
      .execute();

    await db.schema
      .createTable("scans")
      .addColumn("id", t.id, pk)
      .addColumn("repo_id", "integer", (c) => c.notNull().references("repositories.id").onDelete("cascade"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("started_at", t.time)
      .addColumn("completed_at", t.time)
      .addColumn("error", "text")
      .addColumn("created_at", t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex("scans_repo").on("scans").columns(["repo_id", "id"]).execute();

    await db.schema
      .createTable("store_meta")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("value", "text", (c) => c.notNull())
      .execute();
  },

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async down(db: Kysely<any>): Promise<void> {
    for (const table of [
      "store_meta",
      "scans",
      "alert_events",
      "alert_locations",
      "alerts",
      "repo_alert_counters",
      "repo_members",
      "org_members",
      "repositories",
      "organizations",
      "tokens",
      "users",
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
