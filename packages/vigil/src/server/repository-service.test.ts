import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApi } from "../api/create-api.js";
import type { JobRunner } from "../jobs/job-runner.js";
import { openJobRunner } from "../jobs/open-job-runner.js";
import { openTestStore, testDialects, type TestStore } from "../store/test-databases.js";
import { createRepositoryService, type RepositoryService } from "./repository-service.js";

const random = new ExampleRandom(0x5e1);

/** A loopback port nothing listens on: git's connection is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.each(testDialects())("a mirror that fails says why ($name)", (dialect) => {
  if (dialect.name === "postgres" && !dialect.url) {
    it.skip("PostgreSQL suite skipped: set VIGIL_TEST_POSTGRES_URL to run it", () => {});
    return;
  }
  let opened: TestStore;
  let runner: JobRunner;
  let service: RepositoryService;
  let work: string;

  beforeEach(async () => {
    opened = await openTestStore(dialect);
    runner = await openJobRunner({ db: opened.db, pollMs: 50 });
    work = mkdtempSync(join(tmpdir(), "vigil-mirror-fail-"));
    service = createRepositoryService({
      store: opened.store,
      runner,
      dataDir: opened.dataDir,
      scanHistory: () => Promise.resolve({ findings: [], warnings: [] }),
    });
    runner.work();
  });
  afterEach(async () => {
    await runner.close();
    await opened.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it("stores git's reason without the URL's credentials, shows it in the API's repository and scan history, and clears it once a fetch works", async () => {
    const password = random.alnum(24);
    const port = await closedPort();
    const repo = await service.register({
      owner: "acme",
      name: "api",
      sourceUrl: `http://deploy:${password}@127.0.0.1:${port}/acme/api.git`,
    });
    await runner.idle();

    const failed = (await opened.store.getRepositoryById(repo.id))!;
    expect(failed.mirrorError).toMatch(
      /^git clone failed: fatal: unable to access 'http:\/\/(\*\*\*@)?127\.0\.0\.1:\d+\/acme\/api\.git\/': Failed to connect/,
    );
    expect(failed.mirrorError).not.toContain(password);
    expect(failed.mirrorFailedAt).toEqual(expect.any(String));
    const [scan] = await opened.store.listScans(repo.id);
    expect(scan).toMatchObject({ status: "failed", error: failed.mirrorError });

    const admin = await opened.store.createUser({ login: "root", siteAdmin: true });
    const { token } = await opened.store.createToken({ userId: admin.id, scopes: ["repo", "security_events"] });
    const api = createApi({ store: opened.store });
    const get = async (path: string): Promise<Record<string, unknown>> => {
      const res = await api.request(`http://vigil.test${path}`, { headers: { authorization: `token ${token}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown>;
    };
    const history = await get("/repos/acme/api/secret-scanning/scan-history");
    expect(history.backfill_scans).toEqual([
      {
        type: "git",
        status: "failed",
        completed_at: expect.any(String),
        started_at: expect.any(String),
        failure_reason: failed.mirrorError,
      },
    ]);
    expect(JSON.stringify(history)).not.toContain(password);
    const json = await get("/repos/acme/api");
    expect(json).toMatchObject({
      mirror_error: failed.mirrorError,
      mirror_failed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });

    // The source is fixed (here: a real local repository); the next fetch works and the reason is gone.
    const source = join(work, "source");
    execFileSync("git", ["init", "-q", "-b", "main", source]);
    writeFileSync(join(source, "README.md"), "# api\n");
    execFileSync("git", ["-C", source, "add", "."]);
    execFileSync("git", [
      "-C",
      source,
      "-c",
      "user.name=Dev",
      "-c",
      "user.email=dev@example.com",
      "commit",
      "-qm",
      "init",
    ]);
    await opened.store.updateRepository(repo.id, { sourceUrl: source });
    await service.scheduleScan((await opened.store.getRepositoryById(repo.id))!, "incremental");
    await runner.idle();
    const fixed = (await opened.store.getRepositoryById(repo.id))!;
    expect(fixed).toMatchObject({ mirrorError: null, mirrorFailedAt: null });
    expect((await opened.store.listScans(repo.id, 1))[0]).toMatchObject({ status: "completed", error: null });
    expect(await get("/repos/acme/api")).toMatchObject({ mirror_error: null, mirror_failed_at: null });
  });
});
