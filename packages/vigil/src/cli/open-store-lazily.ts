import type { OpenedStore, OpenStoreOptions } from "../store/index.js";

/**
 * Opens the store, loading its modules (kysely, SQLite, PostgreSQL) only now: `vigil scan` and the
 * hooks never pay for them at start-up.
 */
export async function openStoreLazily(options: OpenStoreOptions): Promise<OpenedStore> {
  const { openStore } = await import("../store/index.js");
  return openStore(options);
}
