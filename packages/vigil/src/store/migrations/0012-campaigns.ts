import type { ColumnDefinitionBuilder, Kysely, Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/**
 * Remediation campaigns (Vigil's extension): a campaign and the alerts it selected, playbooks per
 * organization and secret type, the issue or message sent to each repository (so that a re-run
 * updates it instead of sending another), the organization's forge connection (its token sealed)
 * and which secret types an owner lets Vigil revoke on its own.
 */
export const campaignsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    const pk = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());

    await db.schema
      .createTable("campaigns")
      .addColumn("id", t.id, pk)
      .addColumn("org_id", "integer", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("description", "text")
      .addColumn("owner_id", "integer", (c) => c.references("users.id").onDelete("set null"))
      // When the campaign is due (ISO 8601), GitHub's `ends_at`.
      .addColumn("ends_at", "text")
      // The alert-list filters the selection was made with (JSON text on both dialects).
      .addColumn("filters", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("updated_at", t.time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex("campaigns_org_name").unique().on("campaigns").columns(["org_id", "name"]).execute();

    await db.schema
      .createTable("campaign_alerts")
      .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
      .addColumn("alert_id", t.bigRef, (c) => c.notNull().references("alerts.id").onDelete("cascade"))
      .addColumn("repo_id", "integer", (c) => c.notNull().references("repositories.id").onDelete("cascade"))
      .addColumn("alert_number", "integer", (c) => c.notNull())
      .addColumn("added_at", t.time, (c) => c.notNull())
      .addPrimaryKeyConstraint("campaign_alerts_pk", ["campaign_id", "alert_id"])
      .execute();
    await db.schema.createIndex("campaign_alerts_alert").on("campaign_alerts").column("alert_id").execute();

    await db.schema
      .createTable("org_playbooks")
      .addColumn("org_id", "integer", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
      .addColumn("secret_type", "text", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("updated_at", t.time, (c) => c.notNull())
      .addPrimaryKeyConstraint("org_playbooks_pk", ["org_id", "secret_type"])
      .execute();

    await db.schema
      .createTable("campaign_outreach")
      .addColumn("id", t.id, pk)
      .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaigns.id").onDelete("cascade"))
      .addColumn("repo_id", "integer", (c) => c.notNull().references("repositories.id").onDelete("cascade"))
      // `issue` (the forge) or `sink:<hook id>` (a notification sink).
      .addColumn("channel", "text", (c) => c.notNull())
      // The forge's issue number (GitLab: the iid); null for messages.
      .addColumn("issue_number", "integer")
      .addColumn("url", "text")
      // SHA-256 of what was last sent: an unchanged body is not sent again.
      .addColumn("body_hash", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("created_at", t.time, (c) => c.notNull())
      .addColumn("updated_at", t.time, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("campaign_outreach_target")
      .unique()
      .on("campaign_outreach")
      .columns(["campaign_id", "repo_id", "channel"])
      .execute();

    await db.schema
      .createTable("forge_connections")
      .addColumn("org_id", "integer", (c) => c.primaryKey().references("organizations.id").onDelete("cascade"))
      // `github` (GitHub, GitHub Enterprise Server, Gitea's compatible API) or `gitlab`.
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("api_url", "text", (c) => c.notNull())
      // The forge token, sealed with the secret box; never returned by the API.
      .addColumn("sealed_token", "text", (c) => c.notNull())
      // Issues go to `<namespace>/<repository name>`; null: the repository's own owner.
      .addColumn("namespace", "text")
      .addColumn("updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("updated_at", t.time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("auto_remediation_settings")
      .addColumn("org_id", "integer", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
      .addColumn("secret_type", "text", (c) => c.notNull())
      .addColumn("enabled", t.bool, (c) => c.notNull())
      .addColumn("updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("updated_at", t.time, (c) => c.notNull())
      .addPrimaryKeyConstraint("auto_remediation_settings_pk", ["org_id", "secret_type"])
      .execute();
  },
};
