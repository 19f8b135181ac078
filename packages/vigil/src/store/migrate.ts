import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider } from "kysely";
import { VigilError } from "../errors.js";
import { initialMigration } from "./migrations/0001-initial.js";
import { pushProtectionMigration } from "./migrations/0002-push-protection.js";
import { alertListIndexesMigration } from "./migrations/0003-alert-list-indexes.js";
import { hardeningMigration } from "./migrations/0004-hardening.js";
import { lifecycleMigration } from "./migrations/0006-lifecycle.js";
import { webhooksMigration } from "./migrations/0007-webhooks.js";
import { contentAndPartnersMigration } from "./migrations/0008-content-and-partners.js";
import { delegatedReviewMigration } from "./migrations/0009-delegated-review.js";
import { webSessionsMigration } from "./migrations/0010-web-sessions.js";
import { validityChecksMigration } from "./migrations/0011-validity-checks.js";
import { campaignsMigration } from "./migrations/0012-campaigns.js";
import { jobsMigration } from "./migrations/0013-jobs.js";
import { customPatternsMigration } from "./migrations/0014-custom-patterns.js";
import { alertOverviewIndexMigration } from "./migrations/0015-alert-overview-index.js";
import { alertPairedSecretsMigration } from "./migrations/0016-alert-paired-secrets.js";
import { contentBackfillsMigration } from "./migrations/0017-content-backfills.js";
import { customPatternScanEventsMigration } from "./migrations/0018-custom-pattern-scan-events.js";

/** Every migration, in order. Names never change once released; add `0002-...` for the next schema change. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001-initial": initialMigration,
  "0002-push-protection": pushProtectionMigration,
  "0003-alert-list-indexes": alertListIndexesMigration,
  "0004-hardening": hardeningMigration,
  "0006-lifecycle": lifecycleMigration,
  "0007-webhooks": webhooksMigration,
  "0008-content-and-partners": contentAndPartnersMigration,
  "0009-delegated-review": delegatedReviewMigration,
  "0010-web-sessions": webSessionsMigration,
  "0011-validity-checks": validityChecksMigration,
  "0012-campaigns": campaignsMigration,
  "0013-jobs": jobsMigration,
  "0014-custom-patterns": customPatternsMigration,
  "0015-alert-overview-index": alertOverviewIndexMigration,
  "0016-alert-paired-secrets": alertPairedSecretsMigration,
  "0017-content-backfills": contentBackfillsMigration,
  "0018-custom-pattern-scan-events": customPatternScanEventsMigration,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) };

/**
 * Brings the schema up to date and returns the names applied now (none when it already was).
 * Safe to run from several processes at once: kysely's migrator takes a lock.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema version
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // On PostgreSQL the migration tables live in the current schema, named explicitly: kysely otherwise
  // takes a table of that name in any schema as ours (two instances, or tests, in one database).
  let migrationTableSchema: string | undefined;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "vigil_migration",
    migrationLockTableName: "vigil_migration_lock",
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new VigilError("ERR_STORE_OPEN", `the database migration ${failed ?? ""} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`.replace("  ", " "));
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
