import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { DialectName } from "./database.js";
import { openStore, type OpenedStore } from "./index.js";

/**
 * Test databases for the per-dialect store suites: SQLite in a temporary directory always,
 * PostgreSQL when `VIGIL_TEST_POSTGRES_URL` is set, each store in a fresh schema of its own (so
 * test files can run in parallel against one database).
 */
export interface TestDialect {
  name: DialectName;
  /** PostgreSQL URL; undefined for SQLite, and for PostgreSQL when the variable is unset (the suite is skipped). */
  url: string | undefined;
}

export const POSTGRES_URL_VARIABLE = "VIGIL_TEST_POSTGRES_URL";

export function testDialects(env: Record<string, string | undefined> = process.env): TestDialect[] {
  const url = env[POSTGRES_URL_VARIABLE];
  return [
    { name: "sqlite", url: undefined },
    { name: "postgres", url: url && url.trim() !== "" ? url : undefined },
  ];
}

export interface TestStore extends OpenedStore {
  dataDir: string;
  /** The PostgreSQL schema, when PostgreSQL. */
  schema: string | null;
  /** Closes the store and removes its data directory and schema. */
  dispose(): Promise<void>;
}

export async function openTestStore(
  dialect: TestDialect,
  options: { now?: () => Date; env?: Record<string, string | undefined> } = {},
): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), "vigil-store-"));
  let schema: string | null = null;
  if (dialect.name === "postgres") {
    if (!dialect.url) throw new Error(`${POSTGRES_URL_VARIABLE} is not set`);
    schema = `vigil_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    await withClient(dialect.url, (client) => client.query(`create schema ${schema}`));
  }
  const opened = await openStore({
    dataDir,
    env: options.env ?? {},
    ...(dialect.url && dialect.name === "postgres" ? { url: dialect.url } : {}),
    ...(schema ? { schema } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  let disposed = false;
  return {
    ...opened,
    dataDir,
    schema,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await opened.close();
      if (schema && dialect.url)
        await withClient(dialect.url, (client) => client.query(`drop schema if exists ${schema} cascade`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `work` on a short-lived PostgreSQL connection. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
