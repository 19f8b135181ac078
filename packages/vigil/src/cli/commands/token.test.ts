import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../store/index.js";
import { runCli } from "../../test-support/run-cli.js";

let dataDir: string;
const env = { VIGIL_SECRET_KEY: randomBytes(32).toString("base64") };
const cli = (...args: string[]) => runCli([...args, "--data-dir", dataDir], { env });

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "vigil-token-cli-"));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function authenticates(token: string): Promise<boolean> {
  const opened = await openStore({ dataDir, env });
  try {
    return (await opened.store.authenticateToken(token)) !== null;
  } finally {
    await opened.close();
  }
}

describe("vigil token list and revoke", () => {
  it("lists every token with its user, note, scopes, dates and state, never the token; revoke makes it fail authentication", async () => {
    const ci = cli("token", "create", "--user", "ann", "--note", "ci pipeline", "--scopes", "repo");
    expect(ci.status, ci.stderr).toBe(0);
    const ciToken = ci.stdout.trim();
    const short = cli("token", "create", "--user", "ben", "--expires-in", "30d", "--scopes", "repo,security_events");
    expect(short.status, short.stderr).toBe(0);
    expect(short.stderr).toMatch(/token 2 for 'ben' .*expires 20\d\d-/);
    const shortToken = short.stdout.trim();

    const list = cli("token", "list");
    expect(list.status, list.stderr).toBe(0);
    const lines = list.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ID\s+USER\s+NOTE\s+SCOPES\s+CREATED\s+LAST USED\s+EXPIRES\s+STATE$/);
    expect(lines[1]).toMatch(/^1\s+ann\s+ci pipeline\s+repo\s+20\d\d-\d\d-\d\d \d\d:\d\dZ\s+never\s+never\s+active$/);
    expect(lines[2]).toMatch(
      /^2\s+ben\s+repo,security_events\s+20\d\d-.*\s+never\s+20\d\d-\d\d-\d\d \d\d:\d\dZ\s+active$/,
    );
    for (const token of [ciToken, shortToken]) {
      expect(list.stdout).not.toContain(token);
      expect(list.stdout).not.toContain(token.slice(8));
    }

    expect(await authenticates(ciToken)).toBe(true);
    const json = cli("token", "list", "--user", "ann", "--json");
    expect(json.status, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: 1,
      user: "ann",
      note: "ci pipeline",
      scopes: ["repo"],
      expires_at: null,
      revoked_at: null,
      state: "active",
    });
    expect(rows[0]!.last_used_at).toEqual(expect.any(String));
    expect(json.stdout).not.toContain(ciToken);

    const revoke = cli("token", "revoke", "1");
    expect(revoke.status, revoke.stderr).toBe(0);
    expect(revoke.stderr).toBe("vigil: revoked token 1 of 'ann' (ci pipeline)\n");
    expect(await authenticates(ciToken)).toBe(false);
    expect(await authenticates(shortToken)).toBe(true);
    expect(cli("token", "list").stdout).toMatch(/^1\s+ann.*revoked$/m);

    const again = cli("token", "revoke", "1");
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/already revoked/);
  });

  it("says clearly what was wrong with a bad id, an unknown token, a bad duration or an unknown user", () => {
    const unknown = cli("token", "revoke", "99");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe("vigil: no token with id 99 (vigil token list shows them)\n");
    const bad = cli("token", "revoke", "vgl_abc");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^vigil: "vgl_abc" is not a token id/);
    for (const duration of ["30x", "0d", "-1", "4000d", "1.5d"]) {
      const res = cli("token", "create", "--user", "ann", "--expires-in", duration);
      expect(res.status, duration).toBe(2);
      expect(res.stderr).toMatch(/^vigil: --expires-in: ".*" is not a duration from 1h to 3650d/);
      expect(res.stdout).toBe("");
    }
    const nobody = cli("token", "list", "--user", "nobody");
    expect(nobody.status).toBe(2);
    expect(nobody.stderr).toMatch(/no user 'nobody'/);
  });

  it("an expiry in hours or weeks lands where it should", async () => {
    const before = Date.now();
    const res = cli("token", "create", "--user", "cat", "--expires-in", "12h");
    expect(res.status, res.stderr).toBe(0);
    const opened = await openStore({ dataDir, env });
    try {
      const cat = (await opened.store.getUserByLogin("cat"))!;
      const [record] = await opened.store.listTokens({ userId: cat.id });
      const expires = Date.parse(record!.expiresAt!);
      expect(expires - before).toBeGreaterThanOrEqual(12 * 3_600_000 - 1000);
      expect(expires - before).toBeLessThanOrEqual(12 * 3_600_000 + 60_000);
    } finally {
      await opened.close();
    }
  });
});
