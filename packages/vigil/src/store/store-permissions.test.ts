import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "./index.js";

/** Issue 10, item 6: the data directory is 0700, the database and key files 0600. */
const mode = (path: string): number => statSync(path).mode & 0o777;
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "vigil-perms-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("store permissions", () => {
  it("a new store: data directory 0700, database, WAL, shared memory and key 0600, whatever the umask", async () => {
    const dataDir = join(root, "data");
    const umask = process.umask(0o022);
    try {
      const opened = await openStore({ dataDir, env: {} });
      await opened.store.createUser({ login: "someone" });
      expect(opened.permissionNotices).toEqual([]);
      for (const file of ["vigil.db", "vigil.db-wal", "vigil.db-shm", "secret.key"])
        expect(mode(join(dataDir, file)), file).toBe(0o600);
      expect(mode(dataDir)).toBe(0o700);
      await opened.close();
    } finally {
      process.umask(umask);
    }
  });

  it("an existing world-readable data directory and database are fixed at start, and said so", async () => {
    const dataDir = join(root, "data");
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const first = await openStore({ dataDir, env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 1).toString("base64") } });
    await first.close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, "vigil.db"), 0o644);
    writeFileSync(join(dataDir, "vigil.db-wal"), "");
    chmodSync(join(dataDir, "vigil.db-wal"), 0o666);
    const opened = await openStore({ dataDir, env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 1).toString("base64") } });
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, "vigil.db"))).toBe(0o600);
    expect(mode(join(dataDir, "vigil.db-wal"))).toBe(0o600);
    expect(opened.permissionNotices.join("\n")).toMatch(
      /the data directory .* was readable by group or others \(mode 0755\); it is now 0700/,
    );
    expect(opened.permissionNotices.join("\n")).toMatch(
      /the database file .*vigil\.db was readable by group or others \(mode 0644\); it is now 0600/,
    );
    await opened.close();
  });

  it("a database elsewhere (sqlite:/path) is checked where it is", async () => {
    const dataDir = join(root, "data");
    const file = join(root, "elsewhere.db");
    const env = { VIGIL_SECRET_KEY: Buffer.alloc(32, 2).toString("base64") };
    await (await openStore({ dataDir, url: `sqlite:${file}`, env })).close();
    expect(mode(file)).toBe(0o600);
    chmodSync(file, 0o644);
    const opened = await openStore({ dataDir, url: `sqlite:${file}`, env });
    expect(mode(file)).toBe(0o600);
    expect(opened.permissionNotices.join("\n")).toContain(
      `the database file ${file} was readable by group or others (mode 0644)`,
    );
    await opened.close();
  });
});
