import type { Context, MiddlewareHandler } from "hono";
import type { AlertStore, TokenScope } from "../alerts/alert-store.js";
import { ApiError } from "./api-error.js";
import type { ApiEnv } from "./api-env.js";

/**
 * Resolves `Authorization: token X` / `Bearer X` (and Basic with the token as password, which is
 * what git sends) to a user. No or unknown credentials: 401, as GitHub answers.
 */
export function authenticate(store: AlertStore): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const token = readToken(c.req.header("authorization"));
    if (!token) throw new ApiError(401, "Requires authentication");
    const found = await store.authenticateToken(token);
    if (!found) throw new ApiError(401, "Bad credentials");
    c.set("user", found.user);
    c.set("token", found.token);
    c.header("X-OAuth-Scopes", found.token.scopes.join(", "));
    await next();
  };
}

export function readToken(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  switch (scheme.toLowerCase()) {
    case "token":
    case "bearer":
      return value;
    case "basic": {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      return colon >= 0 ? decoded.slice(colon + 1) || null : null;
    }
    default:
      return null;
  }
}

/**
 * Classic-token scope check, after access has been established (a caller without access gets
 * 404 first, so that a missing scope never reveals that a repository exists).
 */
export function requireScopes(c: Context<ApiEnv>, acceptedAny: readonly TokenScope[]): void {
  const granted = c.get("token").scopes;
  c.header("X-Accepted-OAuth-Scopes", acceptedAny.join(", "));
  if (granted.includes("site_admin") || acceptedAny.some((scope) => granted.includes(scope))) return;
  throw new ApiError(403, `Resource not accessible by personal access token: this endpoint needs one of the scopes ${acceptedAny.join(", ")}`);
}

/**
 * A request's JSON body; malformed JSON is GitHub's 400 "Problems parsing JSON", and so is a string
 * holding a NUL character (`\u0000`), which no field of ours takes and PostgreSQL cannot store.
 */
export async function readJsonBody(c: Context<ApiEnv>): Promise<unknown> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, "Problems parsing JSON");
  }
  if (holdsNul(body)) throw new ApiError(400, "Problems parsing JSON: a string holds a NUL character (\\u0000)");
  return body;
}

/** Whether a URL path holds a NUL character once percent-decoded. */
export function hasNul(path: string): boolean {
  try {
    return decodeURIComponent(path).includes("\0");
  } catch {
    return path.includes("\0");
  }
}

function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\0");
  if (typeof value !== "object" || value === null || depth > 64) return false;
  const entries = Array.isArray(value) ? value.map((v): [string, unknown] => ["", v]) : Object.entries(value);
  return entries.some(([key, v]) => key.includes("\0") || holdsNul(v, depth + 1));
}

/** A JSON object body; anything else (an array, a string, null) is the same 400 as malformed JSON. */
export async function readJsonObject(c: Context<ApiEnv>): Promise<Record<string, unknown>> {
  const body = await readJsonBody(c);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ApiError(400, "Problems parsing JSON");
  return body as Record<string, unknown>;
}
