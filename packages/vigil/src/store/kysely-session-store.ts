import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { WebSession, WebSessionStore } from "../web/session-store.js";

interface WebSessionsTable {
  id_hash: string;
  user_id: number;
  token_id: number;
  csrf_token: string;
  created_at: string | Date;
  expires_at: string | Date;
}

interface SessionTables {
  web_sessions: WebSessionsTable;
}

const hashId = (id: string): string => createHash("sha256").update(id).digest("hex");

export interface SessionStoreOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the session table is this module's own
  db: Kysely<any>;
  now?: () => Date;
}

/** Web sessions in the `web_sessions` table (migration 0010-web-sessions). */
export function createSessionStore(options: SessionStoreOptions): WebSessionStore {
  const db = options.db as Kysely<SessionTables>;
  const now = options.now ?? (() => new Date());
  return {
    async create({ userId, tokenId, ttlMs }) {
      const id = randomBytes(32).toString("base64url");
      const created = now();
      const session: WebSession = {
        userId,
        tokenId,
        csrfToken: randomBytes(32).toString("base64url"),
        expiresAt: new Date(created.getTime() + ttlMs).toISOString(),
      };
      // Expired sessions of anyone are swept when someone signs in: the table never grows without bound.
      await db.deleteFrom("web_sessions").where("expires_at", "<=", created.toISOString()).execute();
      await db
        .insertInto("web_sessions")
        .values({
          id_hash: hashId(id),
          user_id: userId,
          token_id: tokenId,
          csrf_token: session.csrfToken,
          created_at: created.toISOString(),
          expires_at: session.expiresAt,
        })
        .execute();
      return { id, session };
    },
    async get(id) {
      const row = await db.selectFrom("web_sessions").selectAll().where("id_hash", "=", hashId(id)).executeTakeFirst();
      if (!row) return null;
      const expiresAt = new Date(row.expires_at).toISOString();
      if (expiresAt <= now().toISOString()) {
        await db.deleteFrom("web_sessions").where("id_hash", "=", row.id_hash).execute();
        return null;
      }
      return { userId: Number(row.user_id), tokenId: Number(row.token_id), csrfToken: row.csrf_token, expiresAt };
    },
    async delete(id) {
      await db.deleteFrom("web_sessions").where("id_hash", "=", hashId(id)).execute();
    },
  };
}
