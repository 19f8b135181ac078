import { createHash, createPublicKey, sign, verify } from "node:crypto";

/** GitHub's signature headers (matched case-insensitively, as HTTP headers are). */
export const KEY_IDENTIFIER_HEADER = "Github-Public-Key-Identifier";
export const SIGNATURE_HEADER = "Github-Public-Key-Signature";

/**
 * ECDSA P-256 with SHA-256 over the raw body bytes, signature ASN.1 DER in standard base64: what
 * GitHub sends and Vigil sends. Never re-serialise the JSON before verifying.
 */
export function verifySignature(rawBody: Uint8Array, signatureBase64: string, publicKeyPem: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureBase64)) return false;
  try {
    return verify("sha256", rawBody, { key: publicKeyPem, dsaEncoding: "der" }, Buffer.from(signatureBase64, "base64"));
  } catch {
    return false;
  }
}

/** The signature a sender puts in `Github-Public-Key-Signature`. */
export function signPayload(rawBody: Uint8Array, privateKeyPem: string): string {
  return sign("sha256", rawBody, { key: privateKeyPem, dsaEncoding: "der" }).toString("base64");
}

/** A key identifier as GitHub's look: SHA-256 (hex) of the DER-encoded public key. */
export function keyIdentifierOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex");
}

/** What feedback carries instead of the token itself: SHA-256 (hex) of the raw token. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
