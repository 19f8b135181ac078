import { resolve } from "node:path";
import type { Command } from "commander";

/** The options every server-side command shares: where the data lives. */
export interface StoreCommandOptions {
  dataDir: string;
  databaseUrl?: string;
}

export function addStoreOptions(command: Command): Command {
  return command
    .option("--data-dir <dir>", "data directory: SQLite database, key file, repository mirrors", process.env.VIGIL_DATA_DIR ?? "./.vigil")
    .option("--database-url <url>", "postgres://… to use PostgreSQL instead of SQLite (default: $VIGIL_DATABASE_URL)");
}

export function storeLocation(options: StoreCommandOptions): { dataDir: string; url: string | undefined } {
  return { dataDir: resolve(options.dataDir), url: options.databaseUrl ?? process.env.VIGIL_DATABASE_URL ?? undefined };
}
