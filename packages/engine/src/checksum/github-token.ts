import { crc32 } from "./crc32.js";
import { encodeBase62 } from "./base62.js";

/**
 * GitHub's current token formats (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) end in
 * six base62 characters that are the CRC32 of the 30-character random part.
 * Checking it offline rejects strings that merely look like tokens.
 */
export function hasValidGithubChecksum(token: string): boolean {
  const underscore = token.indexOf("_");
  if (underscore < 0) return false;
  const body = token.slice(underscore + 1);
  if (body.length < 7) return false;
  const random = body.slice(0, -6);
  return encodeBase62(crc32(random), 6) === body.slice(-6);
}

/** Appends the checksum to a prefix + random part (used to synthesise examples). */
export function withGithubChecksum(prefixAndRandom: string): string {
  const random = prefixAndRandom.slice(prefixAndRandom.indexOf("_") + 1);
  return prefixAndRandom + encodeBase62(crc32(random), 6);
}
