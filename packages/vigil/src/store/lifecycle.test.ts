import { ExampleRandom } from "vigil-secrets-engine";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreNotFoundError, type AlertStore } from "../alerts/alert-store.js";
import type { Repository } from "../alerts/types.js";
import { detection } from "../test-support/api-fixture.js";
import { openTestStore, testDialects, type TestStore } from "./test-databases.js";

const random = new ExampleRandom(0x11fe);

describe.each(testDialects())("lifecycle of tokens and repositories on $name", (dialect) => {
  if (dialect.name === "postgres" && !dialect.url) {
    it.skip("PostgreSQL suite skipped: set VIGIL_TEST_POSTGRES_URL to run it", () => {});
    return;
  }

  let opened: TestStore;
  let store: AlertStore;
  let t = Date.parse("2026-06-01T00:00:00.000Z");

  beforeEach(async () => {
    opened = await openTestStore(dialect, { now: () => new Date(t) });
    store = opened.store;
  });
  afterEach(async () => opened.dispose());

  it("lists tokens (all, or one user's) without their value, with expiry and last use; revoked and expired ones stop authenticating", async () => {
    const ann = await store.createUser({ login: "ann" });
    const ben = await store.createUser({ login: "ben" });
    const a1 = await store.createToken({ userId: ann.id, scopes: ["repo"], note: "ci" });
    const a2 = await store.createToken({
      userId: ann.id,
      scopes: ["security_events"],
      expiresAt: new Date(t + 86_400_000).toISOString(),
    });
    const b1 = await store.createToken({ userId: ben.id, scopes: ["repo"] });

    expect((await store.listTokens()).map((r) => r.id)).toEqual([a1.record.id, a2.record.id, b1.record.id]);
    const anns = await store.listTokens({ userId: ann.id });
    expect(anns.map((r) => r.note)).toEqual(["ci", null]);
    expect(anns[1]!.expiresAt).toBe(new Date(t + 86_400_000).toISOString());
    for (const record of anns) expect(JSON.stringify(record)).not.toContain(a1.token.slice(10));

    expect(await store.authenticateToken(a1.token)).not.toBeNull();
    expect((await store.getToken(a1.record.id))!.lastUsedAt).toBe(new Date(t).toISOString());

    await store.revokeToken(a1.record.id);
    expect(await store.authenticateToken(a1.token)).toBeNull();
    expect((await store.getToken(a1.record.id))!.revokedAt).not.toBeNull();

    expect(await store.authenticateToken(a2.token)).not.toBeNull();
    t += 86_400_000;
    expect(await store.authenticateToken(a2.token)).toBeNull();
    expect(await store.authenticateToken(b1.token)).not.toBeNull();
    expect(await store.getToken(999_999)).toBeNull();
  });

  it("deletes a repository with its alerts, locations, events, scans, roles and push records in one go, leaving other repositories alone", async () => {
    const keep = await store.createRepository({
      owner: "acme",
      name: "keep",
      sourceUrl: null,
      mirrorPath: "m/keep.git",
    });
    const gone: Repository = await store.createRepository({
      owner: "acme",
      name: "gone",
      sourceUrl: null,
      mirrorPath: "m/gone.git",
    });
    const user = await store.createUser({ login: "ann" });
    await store.setRepoRole(gone.id, user.id, "admin");
    const secret = random.githubToken("ghp");
    for (const repo of [keep, gone]) {
      await store.recordDetections(repo.id, [
        detection("github_personal_access_token", "GitHub Personal Access Token", "GitHub", secret, "a.env", 1),
      ]);
      await store.createScan({ repoId: repo.id, kind: "backfill", type: "git" });
    }
    await opened.pushProtection.recordPushEvent({
      repoId: gone.id,
      pusherId: user.id,
      outcome: "blocked",
      secretTypes: ["github_personal_access_token"],
    });

    await store.deleteRepository(gone.id);

    expect(await store.getRepository("acme", "gone")).toBeNull();
    const count = async (table: string, repoId: number): Promise<number> => {
      const { rows } = await sql<{
        n: number | string;
      }>`select count(*) as n from ${sql.table(table)} where repo_id = ${repoId}`.execute(opened.db);
      return Number(rows[0]!.n);
    };
    for (const table of ["alerts", "alert_events", "scans", "repo_members", "repo_alert_counters", "push_events"])
      expect(await count(table, gone.id), table).toBe(0);
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from alert_locations`.execute(opened.db);
    expect(Number(rows[0]!.n)).toBe(1);
    expect((await store.getAlert(keep.id, 1))?.secret).toBe(secret);
    expect(await store.listScans(keep.id)).toHaveLength(1);
    await expect(store.deleteRepository(gone.id)).rejects.toBeInstanceOf(StoreNotFoundError);
  });

  it("keeps a repository's web link template and its mirror's last failure", async () => {
    const repo = await store.createRepository({
      owner: "acme",
      name: "app",
      sourceUrl: "https://git.example/acme/app.git",
      mirrorPath: "m/app.git",
    });
    expect(repo).toMatchObject({ webUrlTemplate: null, mirrorError: null, mirrorFailedAt: null });
    const at = new Date(t).toISOString();
    const updated = await store.updateRepository(repo.id, {
      webUrlTemplate: "https://git.example/{owner}/{repo}/blob/{commit}/{path}#L{line}",
      mirrorError: "git clone failed: fatal: repository not found",
      mirrorFailedAt: at,
    });
    expect(updated).toMatchObject({
      webUrlTemplate: "https://git.example/{owner}/{repo}/blob/{commit}/{path}#L{line}",
      mirrorError: "git clone failed: fatal: repository not found",
      mirrorFailedAt: at,
    });
    expect(await store.getRepository("acme", "app")).toMatchObject({
      mirrorError: "git clone failed: fatal: repository not found",
    });
    const cleared = await store.updateRepository(repo.id, { mirrorError: null, mirrorFailedAt: null });
    expect(cleared).toMatchObject({
      mirrorError: null,
      mirrorFailedAt: null,
      webUrlTemplate: "https://git.example/{owner}/{repo}/blob/{commit}/{path}#L{line}",
    });
  });
});
