import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestStore, testDialects, type TestStore } from "./test-databases.js";

describe.each(testDialects())("web sessions on $name", (dialect) => {
  if (dialect.name === "postgres" && !dialect.url) {
    it.skip("PostgreSQL suite skipped: set VIGIL_TEST_POSTGRES_URL to run it", () => {});
    return;
  }

  let opened: TestStore;
  let t = Date.parse("2026-06-01T00:00:00.000Z");
  const HOUR = 3_600_000;

  beforeEach(async () => {
    opened = await openTestStore(dialect, { now: () => new Date(t) });
  });
  afterEach(async () => opened.dispose());

  async function userWithToken(login: string): Promise<{ userId: number; tokenId: number }> {
    const user = await opened.store.createUser({ login });
    const { record } = await opened.store.createToken({ userId: user.id, scopes: ["repo"] });
    return { userId: user.id, tokenId: record.id };
  }

  it("finds a session by its id, stores only the id's hash, and forgets it on sign-out", async () => {
    const ann = await userWithToken("ann");
    const { id, session } = await opened.sessions.create({ ...ann, ttlMs: 8 * HOUR });
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrfToken).not.toBe(id);
    expect(await opened.sessions.get(id)).toEqual({
      ...ann,
      csrfToken: session.csrfToken,
      expiresAt: new Date(t + 8 * HOUR).toISOString(),
    });
    const { rows } = await sql<Record<string, unknown>>`select * from web_sessions`.execute(opened.db);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(id);
    expect(await opened.sessions.get(id.slice(0, -1) + (id.endsWith("A") ? "B" : "A"))).toBeNull();
    await opened.sessions.delete(id);
    expect(await opened.sessions.get(id)).toBeNull();
  });

  it("an expired session is gone, and expired sessions are swept when someone signs in", async () => {
    const ann = await userWithToken("ann");
    const old = await opened.sessions.create({ ...ann, ttlMs: HOUR });
    const other = await opened.sessions.create({ ...ann, ttlMs: HOUR });
    t += HOUR;
    expect(await opened.sessions.get(old.id)).toBeNull();
    const fresh = await opened.sessions.create({ ...ann, ttlMs: HOUR });
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from web_sessions`.execute(opened.db);
    expect(Number(rows[0]!.n)).toBe(1);
    expect(await opened.sessions.get(other.id)).toBeNull();
    expect(await opened.sessions.get(fresh.id)).not.toBeNull();
  });
});
