import { sql, type Kysely, type Migration } from "kysely";
import { columnTypes } from "./column-types.js";

/**
 * The embedded job queue (used when no Redis is configured): jobs are rows, so they survive kill -9
 * and restarts. A running job holds a lease (`lock_expires_at`) its worker renews; when the worker
 * dies the lease runs out and the job is queued again. `job_locks` holds one row per group (a
 * repository) while a job of that group runs, so two workers never scan one repository at once.
 * `scan_states` keeps each repository's incremental scan state in the store.
 */
export const jobsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
  async up(db: Kysely<any>): Promise<void> {
    const t = columnTypes(db);
    await db.schema
      .createTable("jobs")
      .addColumn("id", t.bigId, (col) => (t.postgres ? col.primaryKey() : col.primaryKey().autoIncrement()))
      .addColumn("kind", "text", (col) => col.notNull())
      .addColumn("payload", "text", (col) => col.notNull())
      .addColumn("dedupe_key", "text")
      .addColumn("group_key", "text")
      .addColumn("fair_key", "text", (col) => col.notNull().defaultTo(""))
      // The job's place in its fair key's line when queued: jobs are taken by (priority, fair_rank, id).
      .addColumn("fair_rank", "integer", (col) => col.notNull().defaultTo(0))
      .addColumn("priority", "integer", (col) => col.notNull())
      .addColumn("state", "text", (col) => col.notNull())
      .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
      .addColumn("max_attempts", "integer", (col) => col.notNull())
      .addColumn("backoff_ms", "integer", (col) => col.notNull())
      .addColumn("timeout_ms", "integer", (col) => col.notNull())
      .addColumn("run_at", t.time, (col) => col.notNull())
      .addColumn("locked_by", "text")
      .addColumn("lock_expires_at", t.time)
      .addColumn("last_error", "text")
      .addColumn("created_at", t.time, (col) => col.notNull())
      .addColumn("updated_at", t.time, (col) => col.notNull())
      .addColumn("completed_at", t.time)
      .execute();
    // One queued job per key: asking again while one waits coalesces (the running one does not count).
    await db.schema
      .createIndex("jobs_queued_dedupe_key")
      .on("jobs")
      .column("dedupe_key")
      .unique()
      .where(sql.ref("state"), "=", "queued")
      .execute();
    await db.schema.createIndex("jobs_state_kind_priority").on("jobs").columns(["state", "kind", "priority", "id"]).execute();
    await db.schema.createIndex("jobs_fair_key_state").on("jobs").columns(["fair_key", "state"]).execute();
    await db.schema
      .createTable("job_locks")
      .addColumn("group_key", "text", (col) => col.primaryKey())
      .addColumn("job_id", t.bigRef, (col) => col.notNull())
      .addColumn("expires_at", t.time, (col) => col.notNull())
      .execute();
    // A repository's incremental scan state (ref tips, pattern versions), so any worker continues any
    // repository's scan, whatever its mirror cache holds. Ids, paths and hashes only, never a secret.
    await db.schema
      .createTable("scan_states")
      .addColumn("repo_id", "integer", (col) => col.primaryKey().references("repositories.id").onDelete("cascade"))
      .addColumn("state", "text", (col) => col.notNull())
      .addColumn("updated_at", t.time, (col) => col.notNull())
      .execute();
  },
};
