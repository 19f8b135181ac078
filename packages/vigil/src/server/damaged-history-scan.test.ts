import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterEach, describe, expect, it } from "vitest";
import { openJobRunner } from "../jobs/open-job-runner.js";
import { createTempRepository, testGitEnv } from "../sources/git/temp-repository.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { createRepositoryService, mirrorPathFor } from "./repository-service.js";
import { scanRepositoryHistory } from "./scan-repository-history.js";

// The server's background scan of a hosted repository whose history is damaged, on each store
// dialect: what can be reached becomes alerts and each skipped object is logged; a history that
// cannot be walked at all makes the scan `failed` with the reason, never `completed` with 0 alerts.

const r = new ExampleRandom(1080);

describe.each(testDialects())("repository scans of damaged histories ($name)", (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });

  /** A hosted repository `acme/broken` whose bare git dir holds main: c1 (old/a.env, keep/b.env) then c2 (new.env). */
  async function brokenRepository() {
    store = await openTestStore(dialect);
    const work = createTempRepository();
    const secrets = { a: r.githubToken("ghp"), b: r.githubToken("ghp"), c: r.githubToken("ghp") };
    const c1 = work.commit("one", { "old/a.env": `A=${secrets.a}\n`, "keep/b.env": `B=${secrets.b}\n` });
    const c2 = work.commit("two", { "new.env": `C=${secrets.c}\n` });
    const mirror = mirrorPathFor(store.dataDir, "acme", "broken");
    mkdirSync(dirname(mirror), { recursive: true });
    execFileSync("git", ["clone", "-q", "--bare", "--no-local", work.dir, mirror], { env: testGitEnv() });
    const repo = await store.store.createRepository({
      owner: "acme",
      name: "broken",
      sourceUrl: null,
      mirrorPath: mirror,
    });
    const warnings: string[] = [];
    const log = { info: () => {}, warn: (_: Record<string, unknown>, message: string) => void warnings.push(message) };
    const runner = await openJobRunner({ db: store.db, pollMs: 50 });
    const service = createRepositoryService({
      store: store.store,
      runner,
      dataDir: store.dataDir,
      scanHistory: scanRepositoryHistory,
      log,
    });
    runner.work();
    const garbage = (oid: string): void => {
      const file = join(mirror, "objects", oid.slice(0, 2), oid.slice(2));
      chmodSync(file, 0o644);
      writeFileSync(file, "not zlib");
    };
    return { repo, service, runner, warnings, secrets, c1, c2, mirror, garbage, work };
  }

  it.skipIf(!dialect.url && dialect.name === "postgres")(
    "a corrupt tree: the reachable secrets become alerts, the tree is logged, the scan completes",
    async () => {
      const { repo, service, runner, warnings, secrets, c1, work, garbage, mirror } = await brokenRepository();
      unpackAll(mirror); // objects loose, so one can be damaged
      const tree = work.git("rev-parse", `${c1}:old`);
      garbage(tree);
      await service.scheduleScan(repo, "backfill");
      await runner.idle();
      const scans = await store!.store.listScans(repo.id);
      expect(scans[0]).toMatchObject({ status: "completed" });
      const alerts = await store!.store.listAlerts({
        repoIds: [repo.id],
        sort: "created",
        direction: "asc",
        perPage: 100,
      });
      expect(alerts.alerts.map((a) => a.secret).sort()).toEqual([secrets.b, secrets.c].sort());
      expect(warnings.join("\n")).toContain(tree);
      await runner.close();
    },
  );

  it.skipIf(!dialect.url && dialect.name === "postgres")(
    "every ref broken: the scan is failed with the reason, no alerts",
    async () => {
      const { repo, service, runner, c2, garbage, mirror } = await brokenRepository();
      unpackAll(mirror);
      garbage(c2);
      await service.scheduleScan(repo, "backfill");
      await runner.idle();
      const [scan] = await store!.store.listScans(repo.id);
      expect(scan).toMatchObject({ status: "failed" });
      expect(scan!.error).toMatch(/cannot walk the history: no ref leads to a readable commit/);
      expect(
        (await store!.store.listAlerts({ repoIds: [repo.id], sort: "created", direction: "asc", perPage: 100 })).alerts,
      ).toEqual([]);
      await runner.close();
    },
  );
});

/** Turns every packed object of a bare repository into a loose one (so one can be damaged on its own). */
function unpackAll(gitDir: string): void {
  const packDir = join(gitDir, "objects", "pack");
  const packs = execFileSync("ls", [packDir], { encoding: "utf8" })
    .split("\n")
    .filter((f) => f.endsWith(".pack"));
  for (const pack of packs) {
    const data = execFileSync("cat", [join(packDir, pack)]);
    execFileSync("rm", [
      "-f",
      join(packDir, pack),
      join(packDir, pack.replace(/\.pack$/, ".idx")),
      join(packDir, pack.replace(/\.pack$/, ".rev")),
    ]);
    execFileSync("git", ["--git-dir", gitDir, "unpack-objects", "-q"], { input: data });
  }
}
