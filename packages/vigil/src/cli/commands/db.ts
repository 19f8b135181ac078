import type { Command } from "commander";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";

export function registerDbCommand(program: Command): void {
  const db = program.command("db").description("Database maintenance");
  addStoreOptions(db.command("migrate").description("Apply pending migrations (vigil serve also does this on start)")).action(async (options: StoreCommandOptions) => {
    const [{ openDatabase }, { migrateToLatest }] = await Promise.all([import("../../store/database.js"), import("../../store/migrate.js")]);
    const opened = openDatabase(storeLocation(options));
    try {
      const applied = await migrateToLatest(opened.db);
      process.stderr.write(applied.length === 0 ? "vigil: database is up to date\n" : `vigil: applied ${applied.join(", ")}\n`);
    } finally {
      await opened.db.destroy();
    }
  });
}
