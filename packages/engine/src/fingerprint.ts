import { createHmac } from "node:crypto";

/** The default key keeps fingerprints stable across machines; a store keys its own. */
export const DEFAULT_FINGERPRINT_KEY = "vigil-fingerprint-v1";

export function fingerprintSecret(secretType: string, secret: string, key: string | Uint8Array = DEFAULT_FINGERPRINT_KEY): string {
  return createHmac("sha256", key).update(secretType).update("\0").update(secret).digest("hex").slice(0, 40);
}
