import { sql, type Kysely } from "kysely";
import { MIGRATIONS } from "./migrate.js";
import type { Database } from "./tables.js";

export interface StoreReadiness {
  /** The database answered a query. */
  reachable: boolean;
  /** Migrations this process knows that the database has not applied (a schema older than the code). */
  pendingMigrations: string[];
  /** Why the database could not be reached (for the log, not for the HTTP answer: it may name a host). */
  error?: string;
}

export interface StoreHealth {
  readiness(timeoutMs?: number): Promise<StoreReadiness>;
  /** Alerts per state and resolution: one grouped query. */
  alertCounts(): Promise<{ state: string; resolution: string | null; count: number }[]>;
}

/** What readiness probes and metrics read from the store; nothing here writes. */
export function createStoreHealth(db: Kysely<Database>): StoreHealth {
  return {
    async readiness(timeoutMs = 2000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const applied = await Promise.race([
          sql<{ name: string }>`select name from vigil_migration`.execute(db).then((r) => new Set(r.rows.map((row) => row.name))),
          timeout,
        ]);
        return { reachable: true, pendingMigrations: Object.keys(MIGRATIONS).filter((name) => !applied.has(name)) };
      } catch (error) {
        return { reachable: false, pendingMigrations: [], error: error instanceof Error ? error.message : String(error) };
      } finally {
        clearTimeout(timer);
      }
    },
    async alertCounts() {
      const rows = await db
        .selectFrom("alerts")
        .select(["state", "resolution", (eb) => eb.fn.countAll<number | string>().as("count")])
        .groupBy(["state", "resolution"])
        .execute();
      return rows.map((row) => ({ state: row.state, resolution: row.resolution, count: Number(row.count) }));
    },
  };
}
