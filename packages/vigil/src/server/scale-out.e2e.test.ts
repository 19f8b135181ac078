import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Redis } from "ioredis";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type OpenedStore } from "../store/index.js";
import { withClient } from "../store/test-databases.js";
import { generateHistory } from "../test-support/generated-history.js";
import { CLI } from "../test-support/run-cli.js";
import { recordRepository } from "./repository-service.js";
import { scanRepositoryHistory } from "./scan-repository-history.js";

const POSTGRES = process.env.VIGIL_TEST_POSTGRES_URL?.trim() || undefined;
const REDIS = process.env.VIGIL_TEST_REDIS_URL?.trim() || undefined;
const REPOSITORIES = 200;
const KEY = randomBytes(32).toString("base64");

/**
 * Scale-out on one machine: PostgreSQL, Redis (BullMQ), one `vigil serve --no-jobs` and three `vigil
 * worker` processes, each with its own data directory (its own mirror cache). One worker is killed
 * with -9 during the backfill; the alerts at the end are a single-process scan's, none twice.
 */
describe.skipIf(!POSTGRES || !REDIS)(
  `scale-out: serve --no-jobs + 3 workers over PostgreSQL and BullMQ${!POSTGRES || !REDIS ? " (skipped: set VIGIL_TEST_POSTGRES_URL and VIGIL_TEST_REDIS_URL)" : ""}`,
  () => {
    const dirs: string[] = [];
    const children: ChildProcess[] = [];
    let databaseUrl: string;
    let dropDatabase: () => Promise<void>;
    let opened: OpenedStore;
    const prefix = `vigil-scale-${process.pid}-${randomBytes(3).toString("hex")}`;
    const planted = new Map<string, { path: string; expected: Set<string> }>();
    /** Repositories also scanned by a single process (every tenth): it finds exactly what was planted. */
    const singleProcess = new Map<string, Set<string>>();

    beforeAll(async () => {
      const name = `vigil_scale_${process.pid}_${randomBytes(3).toString("hex")}`;
      await withClient(POSTGRES!, (c) => c.query(`create database ${name}`));
      const url = new URL(POSTGRES!);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
      dropDatabase = () => withClient(POSTGRES!, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined);
      // Varied small histories: 2 to 9 commits, a token every 2 or 3 commits.
      for (let i = 0; i < REPOSITORIES; i++) {
        const history = generateHistory({ commits: 2 + (i % 8), filesPerCommit: 1 + (i % 3), fileBytes: 256, secretEvery: 2 + (i % 2), seed: 7000 + i });
        dirs.push(dirname(history.path));
        planted.set(`org${i % 7}/repo${i}`, { path: history.path, expected: new Set(history.secrets) });
      }
      // The single-process run, on every tenth repository (to keep the test short on a busy machine).
      for (const [fullName, entry] of [...planted].filter((_, i) => i % 10 === 0)) {
        const { findings } = await scanRepositoryHistory(entry.path, new AbortController().signal);
        singleProcess.set(fullName, new Set(findings.map((f) => f.finding.secret.reveal())));
      }
    }, 300_000);

    it("a single process finds exactly the planted secrets (the reference the scaled-out run is held to)", () => {
      expect(singleProcess.size).toBe(REPOSITORIES / 10);
      for (const [fullName, found] of singleProcess) expect(found, fullName).toEqual(planted.get(fullName)!.expected);
    });

    afterAll(async () => {
      if (process.env.VIGIL_SCALE_PROGRESS) process.stderr.write("scale-out: cleaning up\n");
      for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
      await opened?.close();
      await dropDatabase?.();
      const redis = new Redis(REDIS!);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }, 120_000);

    const env = (): NodeJS.ProcessEnv => ({
      ...process.env,
      VIGIL_SECRET_KEY: KEY,
      VIGIL_DATABASE_URL: databaseUrl,
      VIGIL_REDIS_URL: REDIS,
      VIGIL_REDIS_PREFIX: prefix,
      VIGIL_JOB_LEASE_MS: "4000",
      VIGIL_LOG_LEVEL: "warn",
      CI: "true",
    });
    const start = (args: string[], ready: RegExp): Promise<ChildProcess> => {
      const child = spawn(process.execPath, [CLI, ...args], { env: env(), stdio: ["ignore", "ignore", "pipe"] });
      children.push(child);
      return new Promise((resolve, reject) => {
        let err = "";
        child.stderr.on("data", (chunk: Buffer) => {
          err += chunk.toString();
          if (ready.test(err)) resolve(child);
        });
        child.once("exit", (code) => reject(new Error(`vigil ${args[0]} exited with ${code}: ${err}`)));
      });
    };

    it("scans 200 repositories with three workers, one killed with -9 mid-way: every alert once, as a single process finds them", async () => {
      const serveDir = mkdtempSync(join(tmpdir(), "vigil-scale-serve-"));
      dirs.push(serveDir);
      await start(["serve", "--no-jobs", "--port", "0", "--data-dir", serveDir], /serving http/);
      opened = await openStore({ dataDir: serveDir, env: { VIGIL_SECRET_KEY: KEY }, url: databaseUrl });
      const workers: ChildProcess[] = [];
      for (let w = 0; w < 3; w++) {
        const dir = mkdtempSync(join(tmpdir(), `vigil-scale-worker${w}-`));
        dirs.push(dir);
        workers.push(await start(["worker", "--data-dir", dir, "--concurrency", "2", "--grace", "1"], /worker started/));
      }
      // As `vigil repo add` does: the repository and its pending backfill; the server's sweep queues it.
      const ids = new Map<number, string>();
      for (const [fullName, entry] of planted) {
        const [owner, name] = fullName.split("/") as [string, string];
        const repo = await recordRepository(opened.store, serveDir, { owner, name, sourceUrl: entry.path });
        ids.set(repo.id, fullName);
      }
      const completed = async (): Promise<number> => {
        const { rows } = await sql<{ n: string }>`select count(distinct repo_id) as n from scans where status = 'completed'`.execute(opened.db);
        return Number(rows[0]?.n ?? 0);
      };
      const until = async (check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> => {
        const end = Date.now() + timeoutMs;
        while (!(await check())) {
          if (process.env.VIGIL_SCALE_PROGRESS) process.stderr.write(`scale-out: ${await completed()} scanned\n`);
          if (Date.now() > end) throw new Error(`timed out waiting for ${what} (${await completed()} repositories scanned)`);
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      };
      await until(async () => (await completed()) >= 30, "the first 30 scans", 90_000);
      // Mid-backfill: worker 0 dies with its jobs running.
      const victim = workers[0]!;
      const exited = new Promise((resolve) => victim.once("exit", resolve));
      victim.kill("SIGKILL");
      await exited;
      const atKill = await completed();
      expect(atKill).toBeLessThan(REPOSITORIES);
      await until(
        async () => {
          if ((await completed()) < REPOSITORIES) return false;
          const { rows } = await sql<{ n: string }>`select count(*) as n from scans where status in ('pending', 'running')`.execute(opened.db);
          return Number(rows[0]?.n ?? 0) === 0;
        },
        "every repository's scan",
        400_000,
      );

      // Every planted secret is one alert in its repository, and no alert is anything else.
      let alerts = 0;
      for (const [repoId, fullName] of ids) {
        const page = await opened.store.listAlerts({ repoIds: [repoId], sort: "created", direction: "asc", perPage: 100 });
        const secrets = page.alerts.map((a) => a.secret);
        alerts += secrets.length;
        expect(new Set(secrets).size, `${fullName}: an alert twice`).toBe(secrets.length);
        expect(new Set(secrets), fullName).toEqual(planted.get(fullName)!.expected);
      }
      expect(alerts).toBe([...planted.values()].reduce((n, e) => n + e.expected.size, 0));
      // Nor a location twice: two scans of one repository never record the same place again.
      const { rows: duplicates } = await sql<{ n: string }>`
        select count(*) as n from (select alert_id, dedupe_key from alert_locations group by alert_id, dedupe_key having count(*) > 1) d`.execute(opened.db);
      expect(Number(duplicates[0]?.n ?? 0)).toBe(0);
    }, 480_000);
  },
);
