import type { ColumnDefinitionBuilder, Kysely, Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/**
 * Delegated bypass and delegated alert dismissal: per-organization review settings, the requests
 * (a blocked pusher's bypass request, a non-reviewer's request to close an alert) and reviewers'
 * responses to them.
 */
export const delegatedReviewMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    const pk = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());

    await db.schema
      .createTable("org_review_settings")
      .addColumn("org_id", "integer", (c) => c.primaryKey().references("organizations.id").onDelete("cascade"))
      .addColumn("bypass_review", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("dismissal_review", t.bool, (c) => c.notNull().defaultTo(t.false))
      .addColumn("updated_at", t.time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("review_requests")
      .addColumn("id", t.id, pk)
      // `bypass` (push protection) or `dismissal` (closing an alert).
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("repo_id", "integer", (c) => c.notNull().references("repositories.id").onDelete("cascade"))
      // Per repository and kind: a bypass request's number; a dismissal request is named by its alert's number.
      .addColumn("number", "integer", (c) => c.notNull())
      .addColumn("requester_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("placeholder_id", "text", (c) =>
        c.references("push_protection_placeholders.placeholder_id").onDelete("cascade"),
      )
      .addColumn("alert_number", "integer")
      .addColumn("secret_type", "text", (c) => c.notNull())
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("comment", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("expires_at", t.time, (c) => c.notNull())
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("updated_at", t.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("review_requests_number")
      .unique()
      .on("review_requests")
      .columns(["repo_id", "kind", "number"])
      .execute();
    await db.schema
      .createIndex("review_requests_created")
      .on("review_requests")
      .columns(["kind", "created_at"])
      .execute();

    await db.schema
      .createTable("review_responses")
      .addColumn("id", t.id, pk)
      .addColumn("request_id", "integer", (c) => c.notNull().references("review_requests.id").onDelete("cascade"))
      .addColumn("reviewer_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
      // approved | denied | dismissed
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("message", "text", (c) => c.notNull())
      .addColumn("created_at", t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex("review_responses_request").on("review_responses").column("request_id").execute();
  },
};
