import { createHash, randomInt } from "node:crypto";
import { hasValidGithubChecksum, withGithubChecksum } from "vigil-secrets-engine";

/** Vigil API tokens: `vgl_` + 30 random base62 characters + a 6-character base62 CRC32 of them (GitHub's `ghp_` layout). */
export const TOKEN_PREFIX = "vgl_";
export const TOKEN_RANDOM_LENGTH = 30;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + TOKEN_RANDOM_LENGTH + 6;
/** How much of a token lists show: the prefix and four random characters. */
export const TOKEN_DISPLAY_PREFIX_LENGTH = TOKEN_PREFIX.length + 4;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const TOKEN_SHAPE = /^vgl_[0-9A-Za-z]{36}$/;

/** A new token from the system's CSPRNG (about 178 bits of randomness). */
export function generateToken(): string {
  let random = "";
  for (let i = 0; i < TOKEN_RANDOM_LENGTH; i++) random += BASE62[randomInt(62)];
  return withGithubChecksum(TOKEN_PREFIX + random);
}

/** Shape and checksum: a typo or a truncated token is rejected before any database lookup. */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_SHAPE.test(token) && hasValidGithubChecksum(token);
}

/** What the database keeps: SHA-256 (hex). Tokens are random, so a plain hash suffices; no salt is needed. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
