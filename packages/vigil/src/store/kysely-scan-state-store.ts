import type { Kysely } from "kysely";
import { parseScanState, type ScanState } from "../sources/git/scan-state.js";
import type { Database } from "./tables.js";

type ScanStatesTable = { repo_id: number; state: string; updated_at: string | Date };

/** Per repository, what its last history scan covered (see sources/git/scan-state.ts), kept in the store. */
export interface ScanStateStore {
  load(repoId: number): Promise<ScanState | undefined>;
  save(repoId: number, state: ScanState): Promise<void>;
}

export function createScanStateStore(options: { db: Kysely<Database>; now?: () => Date }): ScanStateStore {
  const db = options.db.withTables<{ scan_states: ScanStatesTable }>() as unknown as Kysely<{ scan_states: ScanStatesTable }>;
  const now = (): string => (options.now ?? (() => new Date()))().toISOString();
  return {
    async load(repoId) {
      const row = await db.selectFrom("scan_states").select("state").where("repo_id", "=", repoId).executeTakeFirst();
      return row ? parseScanState(row.state) : undefined;
    },
    async save(repoId, state) {
      const json = JSON.stringify(state);
      await db
        .insertInto("scan_states")
        .values({ repo_id: repoId, state: json, updated_at: now() })
        .onConflict((oc) => oc.column("repo_id").doUpdateSet({ state: json, updated_at: now() }))
        .execute();
    },
  };
}
