import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { withClient } from "../store/test-databases.js";
import { startVigilServer, type RunningServer } from "../test-support/vigil-server.js";

const POSTGRES_URL = process.env.VIGIL_TEST_POSTGRES_URL;
const METRICS_TOKEN = randomBytes(24).toString("hex");

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe("vigil serve: metrics and readiness over a real socket", () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it("with --workers 2, one scrape counts the requests every process served", async () => {
    server = await startVigilServer({ extraArgs: ["--workers", "2"], env: { VIGIL_METRICS_TOKEN: METRICS_TOKEN } });
    // The primary hands connections to its processes in turn: each serves about half of these.
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${server.url}/healthz`, { headers: { connection: "close" } });
      expect(res.status).toBe(200);
    }
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(sample(text, "vigil_http_request_duration_seconds_count", { method: "GET", route: "/healthz", status: "200" })).toBe(20);
    // Node.js process metrics are there too (summed over the processes).
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it.skipIf(!POSTGRES_URL)("/readyz is 503 while PostgreSQL refuses the server's connections, and ready again after", async () => {
    server = await startVigilServer({ postgresUrl: POSTGRES_URL! });
    const database = new URL(server.databaseUrl!).pathname.slice(1);
    const ready = async (): Promise<number> => (await fetch(`${server!.url}/readyz`, { headers: { connection: "close" } })).status;
    expect(await ready()).toBe(200);
    await withClient(POSTGRES_URL!, async (c) => {
      await c.query(`alter database ${database} allow_connections false`);
      await c.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [database]);
    });
    try {
      expect(await ready()).toBe(503);
      expect((await fetch(`${server.url}/healthz`, { headers: { connection: "close" } })).status).toBe(200);
    } finally {
      await withClient(POSTGRES_URL!, (c) => c.query(`alter database ${database} allow_connections true`));
    }
    expect(await ready()).toBe(200);
  });
});
