import { timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { AlertStore, TokenRecord } from "../alerts/alert-store.js";
import type { User } from "../alerts/types.js";
import type { WebSession, WebSessionStore } from "./session-store.js";

export const SESSION_COOKIE = "vigil_session";

/** A signed-in browser: who, through which token (its scopes apply), and its session (with the CSRF token of its forms). */
export interface SignedIn {
  user: User;
  token: TokenRecord;
  session: WebSession;
  sessionId: string;
}

/**
 * The browser's live session from its cookie, or null. The session lives only as long as the token
 * it came from: revoked or expired, it is over (and deleted). The web pages and the allow page of a
 * blocked push both read it here.
 */
export async function readSession(c: Context, store: AlertStore, sessions: WebSessionStore): Promise<SignedIn | null> {
  const id = getCookie(c, SESSION_COOKIE);
  if (!id || id.length > 128) return null;
  const session = await sessions.get(id);
  if (!session) return null;
  const token = await store.getToken(session.tokenId);
  if (!token || token.revokedAt !== null || (token.expiresAt !== null && Date.parse(token.expiresAt) <= Date.now())) {
    await sessions.delete(id);
    return null;
  }
  const user = await store.getUserById(session.userId);
  if (!user) return null;
  return { user, token, session, sessionId: id };
}

/** Compares a form's secret (a CSRF token) with the expected one in constant time; anything missing is false. */
export function sameSecret(presented: unknown, expected: string | undefined): boolean {
  if (typeof presented !== "string" || !expected) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
