import type { ColumnDefinitionBuilder, Kysely, Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/** Webhooks: hooks per repository, organization or instance, and their delivery log (also the delivery queue). */
export const webhooksMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    const pk = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());

    await db.schema
      .createTable("webhooks")
      .addColumn("id", t.id, pk)
      .addColumn("scope", "text", (c) => c.notNull())
      .addColumn("repo_id", "integer", (c) => c.references("repositories.id").onDelete("cascade"))
      .addColumn("org_id", "integer", (c) => c.references("organizations.id").onDelete("cascade"))
      .addColumn("url", "text", (c) => c.notNull())
      .addColumn("content_type", "text", (c) => c.notNull())
      .addColumn("secret_ciphertext", "text")
      .addColumn("insecure_ssl", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("events", t.json, (c) => c.notNull())
      .addColumn("active", t.bool, (c) => c.notNull().defaultTo(t.true))
      // `webhook` (GitHub's), or a notification sink: slack, teams, json, splunk, email.
      .addColumn("kind", "text", (c) => c.notNull().defaultTo("webhook"))
      // Sinks: their filters and, for email, the addresses.
      .addColumn("settings", t.json)
      .addColumn("last_response_code", "integer")
      .addColumn("last_response_status", "text", (c) => c.notNull())
      .addColumn("last_response_message", "text")
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("updated_at", t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex("webhooks_repo").on("webhooks").column("repo_id").execute();
    await db.schema.createIndex("webhooks_org").on("webhooks").column("org_id").execute();

    await db.schema
      .createTable("webhook_deliveries")
      .addColumn("id", t.bigId, pk)
      .addColumn("guid", "text", (c) => c.notNull())
      .addColumn("hook_id", "integer", (c) => c.notNull().references("webhooks.id").onDelete("cascade"))
      .addColumn("event_id", t.bigRef)
      .addColumn("event", "text", (c) => c.notNull())
      .addColumn("action", "text")
      .addColumn("repo_id", "integer")
      .addColumn("order_key", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_attempt_at", t.time, (c) => c.notNull())
      // Null: the dispatcher's retry window, counted from created_at.
      .addColumn("give_up_at", t.time)
      .addColumn("redelivery", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("delivered_at", t.time)
      .addColumn("duration", t.postgres ? "double precision" : "real")
      .addColumn("status_code", "integer")
      .addColumn("status_text", "text")
      .addColumn("request_headers", t.json)
      .addColumn("response_headers", t.json)
      .addColumn("response_body", "text")
      .execute();
    // One delivery per event and hook: fanning an event out twice (a crash between fan-out and commit) adds nothing.
    await db.schema
      .createIndex("webhook_deliveries_event_hook")
      .on("webhook_deliveries")
      .columns(["event_id", "hook_id"])
      .unique()
      .execute();
    await db.schema
      .createIndex("webhook_deliveries_due")
      .on("webhook_deliveries")
      .columns(["status", "next_attempt_at"])
      .execute();
    await db.schema
      .createIndex("webhook_deliveries_order")
      .on("webhook_deliveries")
      .columns(["hook_id", "order_key", "status", "id"])
      .execute();

    // Completed scans already fanned out as `secret_scanning_scan` events (the scans table is their outbox).
    await db.schema
      .createTable("webhook_scan_events")
      .addColumn("scan_id", "integer", (c) => c.primaryKey().references("scans.id").onDelete("cascade"))
      .addColumn("created_at", t.time, (c) => c.notNull())
      .execute();
  },
};
