import type { Kysely, Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/**
 * Sessions of the web pages (`vigil serve`): a browser signs in with a Vigil token and gets a random
 * session id in an HttpOnly cookie. Only the id's SHA-256 is stored, with the token it came from (a
 * revoked or expired token ends the session) and the CSRF token its forms carry.
 */
export const webSessionsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    await db.schema
      .createTable("web_sessions")
      .addColumn("id_hash", "text", (col) => col.primaryKey())
      .addColumn("user_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
      .addColumn("token_id", "integer", (col) => col.notNull().references("tokens.id").onDelete("cascade"))
      .addColumn("csrf_token", "text", (col) => col.notNull())
      .addColumn("created_at", t.time, (col) => col.notNull())
      .addColumn("expires_at", t.time, (col) => col.notNull())
      .execute();
    await db.schema.createIndex("web_sessions_expires_at").on("web_sessions").column("expires_at").execute();
  },
};
