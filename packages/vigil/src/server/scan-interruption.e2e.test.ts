import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { ExampleRandom } from "vigil-secrets-engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateHistory, type GeneratedHistory } from "../test-support/generated-history.js";
import { CLI, runCli } from "../test-support/run-cli.js";
import { INTERRUPTED_SCAN_ERROR } from "./repository-service.js";

// A real `vigil serve` is stopped in the middle of a background scan, by SIGTERM (a clean shutdown)
// and by SIGKILL (a crash), at seeded random moments; then started again on the same data directory.
// The scan must never be `completed` with part of its alerts, never stay `running`, and after the
// restart it must complete with exactly the alerts of an uninterrupted run, none twice.
//
// More trials: VIGIL_RELIABILITY_TRIALS=20 (and VIGIL_RELIABILITY_SEED to replay), or `npm run reliability`.

const TRIALS = Number(process.env.VIGIL_RELIABILITY_TRIALS ?? 2);
const SEED = Number(process.env.VIGIL_RELIABILITY_SEED ?? Math.floor(Math.random() * 1e9));
const KEY = randomBytes(32).toString("base64");
const SIGNALS: NodeJS.Signals[] = ["SIGTERM", "SIGKILL"];

interface Server {
  url: string;
  child: ChildProcess;
}

async function startServer(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--data-dir", dataDir], {
    env: { ...process.env, VIGIL_SECRET_KEY: KEY, VIGIL_LOG_LEVEL: "warn", CI: "true" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
      const match = /serving (http:\/\/\S+)/.exec(err);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`vigil serve exited with ${code}: ${err}`)));
  });
  return { url, child };
}

async function kill(server: Server, signal: NodeJS.Signals): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill(signal);
  await exited;
}

interface ScanRow {
  id: number;
  kind: string;
  status: string;
  error: string | null;
}

function readStore(dataDir: string): { scans: ScanRow[]; alerts: number } {
  const db = new BetterSqlite3(join(dataDir, "vigil.db"), { readonly: true, fileMustExist: true });
  try {
    const scans = db.prepare("select id, kind, status, error from scans order by id").all() as ScanRow[];
    const { n } = db.prepare("select count(*) as n from alerts").get() as { n: number };
    return { scans, alerts: n };
  } finally {
    db.close();
  }
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function listAlertSecrets(url: string, token: string): Promise<Array<{ number: number; secret: string }>> {
  const all: Array<{ number: number; secret: string }> = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${url}/api/v3/repos/acme/big/secret-scanning/alerts?per_page=100&page=${page}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const batch = (await res.json()) as Array<{ number: number; secret: string }>;
    all.push(...batch);
    if (batch.length < 100) return all;
  }
}

describe("a background scan interrupted by SIGTERM or kill -9", () => {
  let history: GeneratedHistory;
  beforeAll(() => {
    console.log(`scan interruption: seed ${SEED}, ${TRIALS} trials (replay with VIGIL_RELIABILITY_SEED=${SEED})`);
    history = generateHistory({ commits: 400, filesPerCommit: 40, fileBytes: 1024, secretEvery: 8, seed: 77 });
  });
  afterAll(() => rmSync(join(history.path, ".."), { recursive: true, force: true }));

  const random = new ExampleRandom(SEED);
  const trials = Array.from({ length: TRIALS }, (_, i) => ({
    trial: i + 1,
    signal: SIGNALS[i % 2]!,
    // ms after the scan is seen running
    delay: random.next() % 1500,
  }));

  it.each(trials)(
    "trial $trial: $signal $delay ms into the scan; after a restart the scan completes with exactly the alerts of a whole run",
    async ({ signal, delay }) => {
      const dataDir = mkdtempSync(join(tmpdir(), "vigil-interrupt-"));
      let server = await startServer(dataDir);
      try {
        const added = runCli(["repo", "add", "acme/big", history.path, "--data-dir", dataDir], {
          env: { VIGIL_SECRET_KEY: KEY },
        });
        expect(added.status, added.stderr).toBe(0);
        await waitFor(
          "the scan to run",
          () => (readStore(dataDir).scans.some((s) => s.status === "running") ? true : undefined),
          30_000,
        );
        await new Promise((r) => setTimeout(r, delay));
        await kill(server, signal);

        const stopped = readStore(dataDir);
        // Never completed with part of the alerts.
        for (const scan of stopped.scans)
          if (scan.status === "completed") expect(stopped.alerts).toBe(history.secrets.length);
        if (!stopped.scans.some((s) => s.status === "completed")) expect(stopped.alerts).toBe(0);
        if (signal === "SIGTERM") {
          // A clean shutdown leaves nothing running: the scan is failed (interrupted) and pending again.
          expect(stopped.scans.map((s) => s.status)).not.toContain("running");
          const interrupted = stopped.scans.filter((s) => s.status === "failed");
          for (const scan of interrupted) expect(scan.error).toBe(INTERRUPTED_SCAN_ERROR);
          if (interrupted.length > 0)
            expect(stopped.scans.some((s) => s.status === "pending" && s.kind === "backfill")).toBe(true);
        }

        server = await startServer(dataDir);
        const settled = await waitFor(
          "the resumed scan to complete",
          () => {
            const state = readStore(dataDir);
            const busy = state.scans.some((s) => s.status === "pending" || s.status === "running");
            return !busy && state.scans.some((s) => s.status === "completed" && s.kind === "backfill")
              ? state
              : undefined;
          },
          90_000,
        );
        // A scan the kill left running is now failed as interrupted, not running forever.
        for (const scan of settled.scans) if (scan.status === "failed") expect(scan.error).toBe(INTERRUPTED_SCAN_ERROR);
        expect(settled.alerts).toBe(history.secrets.length);
        const token = runCli(["token", "create", "--user", "admin", "--data-dir", dataDir], {
          env: { VIGIL_SECRET_KEY: KEY },
        });
        expect(token.status, token.stderr).toBe(0);
        const alerts = await listAlertSecrets(server.url, token.stdout.trim());
        expect(alerts.map((a) => a.secret).sort()).toEqual([...history.secrets].sort());
        expect(new Set(alerts.map((a) => a.number)).size).toBe(alerts.length);
      } finally {
        await kill(server, "SIGTERM");
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
