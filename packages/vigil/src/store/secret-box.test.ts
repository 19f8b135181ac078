import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createHmac, randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VigilError } from "../errors.js";
import { openStore } from "./index.js";
import { loadSecretKey, parseSecretKey } from "./load-secret-key.js";
import { createSecretBox } from "./secret-box.js";

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof VigilError ? error.code : `not a VigilError: ${String(error)}`;
  }
  return undefined;
};

describe("createSecretBox", () => {
  const key = randomBytes(32);
  const box = createSecretBox(key);
  const secret = `sk_live_${randomBytes(18).toString("hex")}`;

  it("seals with AES-256-GCM under a fresh IV and opens again", () => {
    const a = box.seal(secret);
    const b = box.seal(secret);
    expect(a.startsWith("v1:")).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    // IV (12) + ciphertext (same length as the text) + tag (16).
    expect(Buffer.from(a.slice(3), "base64")).toHaveLength(12 + secret.length + 16);
    expect(box.open(a)).toBe(secret);
    expect(box.open(b)).toBe(secret);
    expect(box.open(box.seal(""))).toBe("");
    expect(box.open(box.seal("ünïcødé ✓"))).toBe("ünïcødé ✓");
  });

  it("refuses tampered data and another key, without putting data in the error", () => {
    const sealed = box.seal(secret);
    const raw = Buffer.from(sealed.slice(3), "base64");
    raw[14] = (raw[14] ?? 0) ^ 1;
    const tampered = `v1:${raw.toString("base64")}`;
    expect(codeOf(() => box.open(tampered))).toBe("ERR_STORE_SECRET_DECRYPT");
    expect(codeOf(() => createSecretBox(randomBytes(32)).open(sealed))).toBe("ERR_STORE_SECRET_DECRYPT");
    expect(codeOf(() => box.open("v0:abc"))).toBe("ERR_STORE_SECRET_DECRYPT");
    expect(codeOf(() => box.open("v1:AAAA"))).toBe("ERR_STORE_SECRET_DECRYPT");
    try {
      box.open(tampered);
    } catch (error) {
      expect((error as Error).message).not.toContain(tampered.slice(3, 20));
    }
  });

  it("hashes with a subkey: stable, keyed, and not an HMAC under the encryption key itself", () => {
    expect(box.hash(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(box.hash(secret)).toBe(createSecretBox(Buffer.from(key)).hash(secret));
    expect(box.hash(secret)).not.toBe(box.hash(`${secret}x`));
    expect(box.hash(secret)).not.toBe(createSecretBox(randomBytes(32)).hash(secret));
    expect(box.hash(secret)).not.toBe(createHmac("sha256", key).update(secret).digest("hex"));
  });

  it("wants a 32-byte key", () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(RangeError);
  });
});

describe("loadSecretKey", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "vigil-key-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads VIGIL_SECRET_KEY as base64, base64url or hex, and refuses anything else clearly", () => {
    const key = randomBytes(32);
    for (const text of [
      key.toString("base64"),
      key.toString("base64url"),
      key.toString("hex"),
      ` ${key.toString("hex").toUpperCase()}\n`,
    ]) {
      expect(loadSecretKey({ dataDir: dir, env: { VIGIL_SECRET_KEY: text } })).toEqual({ key, source: "env" });
    }
    for (const bad of [
      randomBytes(16).toString("base64"),
      randomBytes(33).toString("hex"),
      "not a key!",
      "zz".repeat(32),
    ]) {
      let error: unknown;
      try {
        loadSecretKey({ dataDir: dir, env: { VIGIL_SECRET_KEY: bad } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(VigilError);
      expect((error as VigilError).code).toBe("ERR_STORE_SECRET_KEY_INVALID");
      expect((error as VigilError).message).toContain("VIGIL_SECRET_KEY");
      expect((error as VigilError).message).not.toContain(bad);
    }
    expect(parseSecretKey(key.toString("base64"))).toEqual(key);
  });

  it("creates <dataDir>/secret.key with mode 0600 on first use and reads it back", () => {
    const dataDir = join(dir, "data");
    const created = loadSecretKey({ dataDir, env: {} });
    expect(created.source).toBe("created");
    const path = join(dataDir, "secret.key");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, "utf8").trim(), "base64")).toEqual(created.key);
    expect(loadSecretKey({ dataDir, env: {} })).toEqual({ key: created.key, source: "file" });
    // An empty variable is no key: the file is used.
    expect(loadSecretKey({ dataDir, env: { VIGIL_SECRET_KEY: "" } }).key).toEqual(created.key);
  });

  it.skipIf(process.platform === "win32")("refuses a key file that group or others can read", () => {
    const path = join(dir, "secret.key");
    writeFileSync(path, `${randomBytes(32).toString("base64")}\n`, { mode: 0o644 });
    chmodSync(path, 0o644);
    expect(codeOf(() => loadSecretKey({ dataDir: dir, env: {} }))).toBe("ERR_STORE_SECRET_KEY_PERMISSIONS");
    chmodSync(path, 0o640);
    expect(codeOf(() => loadSecretKey({ dataDir: dir, env: {} }))).toBe("ERR_STORE_SECRET_KEY_PERMISSIONS");
    chmodSync(path, 0o600);
    expect(codeOf(() => loadSecretKey({ dataDir: dir, env: {} }))).toBeUndefined();
    writeFileSync(path, "short\n");
    expect(codeOf(() => loadSecretKey({ dataDir: dir, env: {} }))).toBe("ERR_STORE_SECRET_KEY_INVALID");
  });

  it("openStore refuses a key that is not the database's", async () => {
    const first = await openStore({ dataDir: dir, env: {} });
    await first.close();
    const otherKey = randomBytes(32).toString("base64");
    await expect(openStore({ dataDir: dir, env: { VIGIL_SECRET_KEY: otherKey } })).rejects.toMatchObject({
      code: "ERR_STORE_SECRET_KEY_MISMATCH",
    });
    const again = await openStore({ dataDir: dir, env: {} });
    expect(again.migrated).toEqual([]);
    await again.close();
  });
});
