/** A signed-in browser: who, through which token (its scopes apply), and the CSRF token of its forms. */
export interface WebSession {
  userId: number;
  tokenId: number;
  csrfToken: string;
  expiresAt: string;
}

/**
 * The web pages' sessions. The session id is a random secret held only by the browser's cookie;
 * the store keeps its SHA-256. `store/kysely-session-store.ts` implements it over SQLite and PostgreSQL.
 */
export interface WebSessionStore {
  /** Starts a session for the user signed in with that token; returns the id for the cookie, once. */
  create(input: { userId: number; tokenId: number; ttlMs: number }): Promise<{ id: string; session: WebSession }>;
  /** The live session of that id; null when unknown or expired (an expired one is deleted). */
  get(id: string): Promise<WebSession | null>;
  /** Signs out: the id no longer names a session. */
  delete(id: string): Promise<void>;
}
