import { mkdirSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type SqliteDialectConfig,
} from "kysely";
import pg from "pg";
import { VigilError } from "../errors.js";
import { createPrivateFile } from "./store-permissions.js";
import type { Database } from "./tables.js";

export type DialectName = "sqlite" | "postgres";

export interface OpenDatabaseOptions {
  /** `postgres://` or `postgresql://` for PostgreSQL; `sqlite:<path>` for a SQLite file elsewhere; unset: `<dataDir>/vigil.db`. */
  url?: string;
  dataDir: string;
  /** PostgreSQL only: the schema to work in (its `search_path`), for tests that need a fresh one. */
  schema?: string;
  /** PostgreSQL only: errors of idle pooled connections (a restarted server), which would otherwise crash the process. */
  onPoolError?: (error: Error) => void;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  /** SQLite: the database file. */
  sqlitePath?: string;
}

export const SQLITE_FILE = "vigil.db";

/**
 * Opens the store's database. SQLite runs in WAL mode with a 5 s busy timeout, so that a running
 * `vigil serve` and a `vigil token create` can share the file; its write transactions begin
 * `IMMEDIATE`, taking the write lock up front, so that a transaction that reads then writes never
 * fails half-way because another process wrote in between.
 */
export function openDatabase(options: OpenDatabaseOptions): OpenedDatabase {
  const url = options.url?.trim();
  if (url && /^postgres(?:ql)?:\/\//i.test(url)) return { db: openPostgres(url, options), dialect: "postgres" };
  let path = join(options.dataDir, SQLITE_FILE);
  if (url) {
    if (!url.startsWith("sqlite:")) {
      throw new VigilError(
        "ERR_STORE_DATABASE_URL",
        "the database URL must start with postgres://, postgresql:// or sqlite: (or be unset for <data dir>/vigil.db)",
      );
    }
    path = url.slice("sqlite:".length).replace(/^\/\//, "");
    if (path === "")
      throw new VigilError(
        "ERR_STORE_DATABASE_URL",
        "a sqlite: database URL needs a file path (sqlite:/var/lib/vigil/vigil.db)",
      );
  } else {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  }
  let sqlite: BetterSqlite3.Database;
  try {
    createPrivateFile(path);
    sqlite = new BetterSqlite3(path);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("foreign_keys = ON");
    // With WAL, NORMAL is safe from corruption and loses at most the last commits on power loss (a re-scan restores them).
    sqlite.pragma("synchronous = NORMAL");
    cacheStatements(sqlite);
  } catch (error) {
    throw new VigilError("ERR_STORE_OPEN", `cannot open the database ${path}: ${(error as Error).message}`);
  }
  return { db: new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) }), dialect: "sqlite", sqlitePath: path };
}

function openPostgres(url: string, options: OpenDatabaseOptions): Kysely<Database> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new RangeError("schema must be a lowercase SQL identifier");
  const pool = new pg.Pool({
    connectionString: url,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    types: { getTypeParser: typeParser },
  });
  pool.on("error", (error) => options.onPoolError?.(error));
  // A connection lost while a transaction holds it between statements (PostgreSQL restarted, the backend
  // terminated) emits `error` on its client, which the pool listens for only while the client is idle:
  // unheard, it ends the process. Heard here, the transaction's next statement fails with the cause and
  // the pool drops the broken client when it comes back.
  pool.on("connect", (client) => client.on("error", () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

const INT8_OID = 20;

/** bigint ids and counts as numbers (they stay far below 2^53); every other type as pg parses it. */
const typeParser = ((oid: number, format?: "text" | "binary"): ((value: string) => unknown) =>
  oid === INT8_OID
    ? (value: string): number => Number(value)
    : (pg.types.getTypeParser(oid, format ?? "text") as (value: string) => unknown)) as typeof pg.types.getTypeParser;

/** How many distinct statements stay prepared; the store issues a few dozen shapes of query. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * kysely prepares every query anew; compiling the SQL was a third of an API request's time. The
 * store's queries come in few shapes (parameters are bound, not inlined), so prepared statements
 * are kept and reused. better-sqlite3 runs a statement synchronously to completion, so reuse is safe
 * (the store never streams rows, which would hold a statement open).
 */
function cacheStatements(sqlite: BetterSqlite3.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, BetterSqlite3.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      // Most recently used last, so the first key is the one to evict.
      cache.delete(source);
    } else {
      statement = prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
