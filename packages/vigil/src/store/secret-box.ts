import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { VigilError } from "../errors.js";

/** Encrypts stored secrets and identifies equal secrets without decrypting them. */
export interface SecretBox {
  /** AES-256-GCM with a random 12-byte IV: `v1:` + base64(iv ‖ ciphertext ‖ tag). */
  seal(plain: string): string;
  /** The inverse of `seal`; throws `ERR_STORE_SECRET_DECRYPT` (without the data) on a wrong key or tampering. */
  open(sealed: string): string;
  /** HMAC-SHA256 (hex) under a subkey of the secret key: the same secret always hashes the same. */
  hash(plain: string): string;
}

const VERSION = "v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_BYTES = 32;

/** Subkeys: the encryption key and the hash key both come from the master key through HKDF, with different labels. */
function subkey(key: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), label, SECRET_KEY_BYTES));
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== SECRET_KEY_BYTES) throw new RangeError(`the secret key must be ${SECRET_KEY_BYTES} bytes`);
  const encryptionKey = subkey(key, "vigil/secret-box/aes-256-gcm/v1");
  const hashKey = subkey(key, "vigil/secret-hash/hmac-sha256/v1");

  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", encryptionKey, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return VERSION + Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64");
    },
    open(sealed) {
      if (!sealed.startsWith(VERSION)) throw cannotDecrypt();
      const raw = Buffer.from(sealed.slice(VERSION.length), "base64");
      if (raw.length < IV_BYTES + TAG_BYTES) throw cannotDecrypt();
      try {
        const decipher = createDecipheriv("aes-256-gcm", encryptionKey, raw.subarray(0, IV_BYTES));
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        return Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
          decipher.final(),
        ]).toString("utf8");
      } catch {
        throw cannotDecrypt();
      }
    },
    hash(plain) {
      return createHmac("sha256", hashKey).update(plain, "utf8").digest("hex");
    },
  };
}

function cannotDecrypt(): VigilError {
  return new VigilError(
    "ERR_STORE_SECRET_DECRYPT",
    "a stored secret cannot be decrypted: the secret key is not the one the data was written with (check VIGIL_SECRET_KEY or <data dir>/secret.key)",
  );
}
