import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { POSTGRES_URL_VARIABLE } from "./test-databases.js";

const run = promisify(execFile);
/** The built module (the test setup builds with tsc): the child loads it as `vigil serve` would. */
const BUILT_DATABASE = fileURLToPath(new URL("../../dist/store/database.js", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));
const POSTGRES_URL = process.env[POSTGRES_URL_VARIABLE];

// A transaction whose connection PostgreSQL ends between two statements, as a restart or
// pg_terminate_backend does: the client's `error` event comes while the transaction holds it.
const CHILD = `
const { openDatabase } = await import(process.env.DATABASE);
const { sql } = await import("kysely");
const { default: pg } = await import("pg");
const { db } = openDatabase({ url: process.env.PG_URL, dataDir: "." });
const other = new pg.Client({ connectionString: process.env.PG_URL });
await other.connect();
let failure;
try {
  await db.transaction().execute(async (tx) => {
    const { rows } = await sql\`select pg_backend_pid() as pid\`.execute(tx);
    await other.query("select pg_terminate_backend($1)", [rows[0].pid]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sql\`select 1\`.execute(tx);
  });
} catch (error) {
  failure = error.message;
}
const { rows } = await sql\`select 1 as one\`.execute(db);
console.log(JSON.stringify({ failure, after: rows[0].one }));
await other.end();
await db.destroy();
`;

describe("a PostgreSQL connection lost inside a transaction", () => {
  it.skipIf(!POSTGRES_URL)(
    "fails that transaction with the cause; the process goes on and the pool serves the next query",
    async () => {
      const { stdout } = await run(process.execPath, ["--input-type=module", "-e", CHILD], {
        cwd: PACKAGE_DIR,
        env: { ...process.env, DATABASE: BUILT_DATABASE, PG_URL: POSTGRES_URL },
        timeout: 30_000,
      });
      const result = JSON.parse(stdout.trim().split("\n").pop()!) as { failure?: string; after: number };
      expect(result.failure).toMatch(/terminat|connection/i);
      expect(result.after).toBe(1);
    },
  );
});
