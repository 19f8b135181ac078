import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { VigilError } from "../errors.js";
import { SECRET_KEY_BYTES } from "./secret-box.js";

export const SECRET_KEY_FILE = "secret.key";

export interface LoadSecretKeyOptions {
  dataDir: string;
  env: Record<string, string | undefined>;
}

/**
 * The 32-byte key that encrypts stored secrets: `VIGIL_SECRET_KEY` (base64 or hex) when set, else
 * `<dataDir>/secret.key`, created with mode 0600 on first use. A key file that group or others may
 * read is refused: the key is what keeps a database backup from revealing the secrets.
 */
export function loadSecretKey({ dataDir, env }: LoadSecretKeyOptions): {
  key: Buffer;
  source: "env" | "file" | "created";
} {
  const fromEnv = env.VIGIL_SECRET_KEY;
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    const key = parseSecretKey(fromEnv);
    if (!key) {
      throw new VigilError(
        "ERR_STORE_SECRET_KEY_INVALID",
        `VIGIL_SECRET_KEY must be ${SECRET_KEY_BYTES} bytes written as base64 or hex (generate one with \`openssl rand -base64 32\`)`,
      );
    }
    return { key, source: "env" };
  }

  const path = join(dataDir, SECRET_KEY_FILE);
  const existing = readKeyFile(path);
  if (existing) return { key: existing, source: "file" };

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(SECRET_KEY_BYTES);
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      const raced = readKeyFile(path);
      if (raced) return { key: raced, source: "file" };
    }
    throw new VigilError(
      "ERR_STORE_SECRET_KEY_FILE",
      `cannot create the secret key file ${path}: ${(error as Error).message}`,
    );
  }
  try {
    writeSync(fd, `${key.toString("base64")}\n`);
  } finally {
    closeSync(fd);
  }
  return { key, source: "created" };
}

/** 64 hex digits, or base64/base64url of exactly 32 bytes; null otherwise. */
export function parseSecretKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return null;
  const key = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return key.length === SECRET_KEY_BYTES ? key : null;
}

function readKeyFile(path: string): Buffer | null {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new VigilError(
      "ERR_STORE_SECRET_KEY_FILE",
      `cannot read the secret key file ${path}: ${(error as Error).message}`,
    );
  }
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw new VigilError(
      "ERR_STORE_SECRET_KEY_PERMISSIONS",
      `the secret key file ${path} is readable by group or others (mode ${(mode & 0o777).toString(8).padStart(4, "0")}): run \`chmod 600 ${path}\``,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new VigilError(
      "ERR_STORE_SECRET_KEY_FILE",
      `cannot read the secret key file ${path}: ${(error as Error).message}`,
    );
  }
  const key = parseSecretKey(text);
  if (!key) {
    throw new VigilError(
      "ERR_STORE_SECRET_KEY_INVALID",
      `the secret key file ${path} does not hold ${SECRET_KEY_BYTES} bytes in base64 or hex`,
    );
  }
  return key;
}
