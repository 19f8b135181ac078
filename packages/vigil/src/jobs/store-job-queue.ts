import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { sql, type ColumnType, type Generated, type Kysely } from "kysely";
import { JOB_DEFAULTS, MAX_JOB_PRIORITY, retryDelayMs, type JobKind, type JobKinds } from "./job-kind.js";
import { emptyCounts, JOB_STATES, type JobQueue, type JobRecord, type JobState, type JobWorker, type WorkOptions } from "./job-queue.js";
import { executeJob, JobAbort } from "./execute-job.js";
import type { Database } from "../store/tables.js";

type Time = ColumnType<string | Date, string, string>;

type JobsTable = {
  id: Generated<number | string>;
  kind: string;
  payload: string;
  dedupe_key: string | null;
  group_key: string | null;
  fair_key: string;
  fair_rank: number;
  priority: number;
  state: string;
  attempts: Generated<number>;
  max_attempts: number;
  backoff_ms: number;
  timeout_ms: number;
  run_at: Time;
  locked_by: string | null;
  lock_expires_at: Time | null;
  last_error: string | null;
  created_at: Time;
  updated_at: Time;
  completed_at: Time | null;
};

type JobLocksTable = {
  group_key: string;
  job_id: number | string;
  expires_at: Time;
};

type JobTables = {
  jobs: JobsTable;
  job_locks: JobLocksTable;
};

export interface StoreJobQueueOptions {
  /** The store's database (`openStore().db`); migration 0013 made the tables. */
  db: Kysely<Database>;
  kinds: JobKinds;
  /** How long a claimed job is held without a renewal; a killed worker's jobs return after this (default 30 s). */
  leaseMs?: number;
  /** How often an idle worker looks for jobs queued by other processes (default 500 ms). */
  pollMs?: number;
  /** Completed jobs are deleted after this long (default one day). */
  keepCompletedMs?: number;
  now?: () => Date;
}

/**
 * The embedded job queue: jobs are rows in the store (SQLite or PostgreSQL), so they survive kill -9
 * and restarts with no other service. Any process with the store can queue and run them.
 */
export function createStoreJobQueue(options: StoreJobQueueOptions): JobQueue {
  const db = options.db.withTables<JobTables>() as unknown as Kysely<JobTables>;
  const { kinds } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 500;
  const keepCompletedMs = options.keepCompletedMs ?? 86_400_000;
  const clock = options.now ?? (() => new Date());
  const now = (): string => clock().toISOString();
  const later = (ms: number): string => new Date(clock().getTime() + ms).toISOString();
  const pokes = new Set<() => void>();
  let lastPrune = 0;

  const kindOf = (name: string): JobKind => {
    const kind = kinds.get(name);
    if (!kind) throw new Error(`unknown job kind "${name}"`);
    return kind;
  };

  /** Jobs whose worker stopped renewing (kill -9, a lost machine) go back to the queue, or die when out of attempts. */
  async function reap(): Promise<void> {
    const at = now();
    const expired = await db
      .selectFrom("jobs")
      .select(["id", "attempts", "max_attempts"])
      .where("state", "=", "running")
      .where("lock_expires_at", "<=", at)
      .execute();
    for (const job of expired) {
      const error = "the worker running it stopped renewing its lease (killed or unreachable)";
      if (job.attempts >= job.max_attempts) {
        await db
          .updateTable("jobs")
          .set({ state: "dead", last_error: error, locked_by: null, lock_expires_at: null, updated_at: at, completed_at: at })
          .where("id", "=", job.id)
          .where("state", "=", "running")
          .where("lock_expires_at", "<=", at)
          .execute();
      } else await requeue(job.id, { runAt: at, error, expiredBefore: at });
    }
    await db.deleteFrom("job_locks").where("expires_at", "<=", at).execute();
    if (clock().getTime() - lastPrune > 60_000) {
      lastPrune = clock().getTime();
      await db.deleteFrom("jobs").where("state", "=", "completed").where("completed_at", "<=", later(-keepCompletedMs)).execute();
    }
  }

  /**
   * Back to `queued`. When a job with the same key is queued already, that one does the work: this
   * one is closed as coalesced (the key's uniqueness allows one queued job).
   */
  async function requeue(
    id: number | string,
    change: { runAt: string; error?: string; attemptsDelta?: number; lockedBy?: string; expiredBefore?: string; fromState?: JobState; resetAttempts?: boolean },
  ): Promise<boolean> {
    const at = now();
    let update = db
      .updateTable("jobs")
      .set((eb) => ({
        state: "queued",
        run_at: change.runAt,
        locked_by: null,
        lock_expires_at: null,
        updated_at: at,
        completed_at: null,
        ...(change.error !== undefined ? { last_error: change.error } : {}),
        ...(change.resetAttempts ? { attempts: 0 } : change.attemptsDelta ? { attempts: eb("attempts", "+", change.attemptsDelta) } : {}),
      }))
      .where("id", "=", id)
      .where("state", "=", change.fromState ?? "running")
      .where((eb) =>
        eb.or([
          eb("dedupe_key", "is", null),
          eb.not(eb.exists(eb.selectFrom("jobs as q").select("q.id").whereRef("q.dedupe_key", "=", "jobs.dedupe_key").where("q.state", "=", "queued"))),
        ]),
      );
    if (change.lockedBy !== undefined) update = update.where("locked_by", "=", change.lockedBy);
    if (change.expiredBefore !== undefined) update = update.where("lock_expires_at", "<=", change.expiredBefore);
    const result = await update.executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) {
      await db.deleteFrom("job_locks").where("job_id", "=", id).execute();
      return true;
    }
    let coalesce = db
      .updateTable("jobs")
      .set({ state: "completed", locked_by: null, lock_expires_at: null, updated_at: at, completed_at: at, last_error: "coalesced: a job with the same key is queued" })
      .where("id", "=", id)
      .where("state", "=", change.fromState ?? "running");
    if (change.lockedBy !== undefined) coalesce = coalesce.where("locked_by", "=", change.lockedBy);
    await coalesce.execute();
    await db.deleteFrom("job_locks").where("job_id", "=", id).execute();
    return false;
  }

  /** Takes the next job this worker may run: by priority, then round-robin over fair keys, skipping busy groups. */
  async function claim(kindNames: string[], workerId: string): Promise<JobRecord | undefined> {
    if (kindNames.length === 0) return undefined;
    const at = now();
    const { rows } = await sql<{ id: number | string; group_key: string | null }>`
      select c.id, c.group_key from jobs c
      where c.state = 'queued' and c.run_at <= ${at} and c.kind in (${sql.join(kindNames)})
        and (c.group_key is null
          or not exists (select 1 from job_locks l where l.group_key = c.group_key and l.expires_at > ${at}))
      order by c.priority, c.fair_rank, c.id
      limit 8`.execute(db);
    for (const candidate of rows) {
      const expires = later(leaseMs);
      if (candidate.group_key !== null) {
        const locked = await db
          .insertInto("job_locks")
          .values({ group_key: candidate.group_key, job_id: candidate.id, expires_at: expires })
          .onConflict((oc) =>
            oc
              .column("group_key")
              .doUpdateSet({ job_id: candidate.id, expires_at: expires })
              .where("job_locks.expires_at", "<=", at),
          )
          .executeTakeFirst();
        if (Number(locked.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
      }
      const taken = await db
        .updateTable("jobs")
        .set((eb) => ({ state: "running", locked_by: workerId, lock_expires_at: expires, attempts: eb("attempts", "+", 1), updated_at: at }))
        .where("id", "=", candidate.id)
        .where("state", "=", "queued")
        .where("run_at", "<=", at)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) {
        const row = await db.selectFrom("jobs").selectAll().where("id", "=", candidate.id).executeTakeFirstOrThrow();
        return toRecord(row);
      }
      if (candidate.group_key !== null)
        await db.deleteFrom("job_locks").where("group_key", "=", candidate.group_key).where("job_id", "=", candidate.id).execute();
    }
    return undefined;
  }

  async function finish(job: JobRecord, workerId: string, outcome: Awaited<ReturnType<typeof executeJob>>): Promise<{ dead: boolean }> {
    const at = now();
    if (outcome.outcome === "completed") {
      await db
        .updateTable("jobs")
        .set({ state: "completed", locked_by: null, lock_expires_at: null, updated_at: at, completed_at: at, last_error: null })
        .where("id", "=", job.id)
        .where("locked_by", "=", workerId)
        .execute();
      await db.deleteFrom("job_locks").where("job_id", "=", job.id).execute();
      return { dead: false };
    }
    if (outcome.outcome === "handed-back") {
      await requeue(job.id, { runAt: at, attemptsDelta: -1, lockedBy: workerId });
      return { dead: false };
    }
    if (job.attempts >= job.maxAttempts) {
      await db
        .updateTable("jobs")
        .set({ state: "dead", locked_by: null, lock_expires_at: null, updated_at: at, completed_at: at, last_error: outcome.error })
        .where("id", "=", job.id)
        .where("locked_by", "=", workerId)
        .execute();
      await db.deleteFrom("job_locks").where("job_id", "=", job.id).execute();
      return { dead: true };
    }
    const row = await db.selectFrom("jobs").select("backoff_ms").where("id", "=", job.id).executeTakeFirst();
    await requeue(job.id, { runAt: later(retryDelayMs(row?.backoff_ms ?? JOB_DEFAULTS.backoffMs, job.attempts)), error: outcome.error, lockedBy: workerId });
    return { dead: false };
  }

  async function renew(id: string, workerId: string): Promise<boolean> {
    const expires = later(leaseMs);
    const result = await db
      .updateTable("jobs")
      .set({ lock_expires_at: expires })
      .where("id", "=", id)
      .where("state", "=", "running")
      .where("locked_by", "=", workerId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await db.updateTable("job_locks").set({ expires_at: expires }).where("job_id", "=", id).execute();
    return true;
  }

  const queue: JobQueue = {
    backend: "store",
    async enqueue(kindName, payload, enqueueOptions = {}) {
      const kind = kindOf(kindName);
      const priority = enqueueOptions.priority ?? kind.priority ?? JOB_DEFAULTS.priority;
      if (!Number.isInteger(priority) || priority < 0 || priority > MAX_JOB_PRIORITY) throw new Error(`job priority must be 0..${MAX_JOB_PRIORITY}`);
      const at = now();
      const fairKey = enqueueOptions.fairKey ?? "";
      // Behind the fair key's last queued job: ten thousand of one organization's jobs take turns with another's.
      const last = await db
        .selectFrom("jobs")
        .select((eb) => eb.fn.max("fair_rank").as("rank"))
        .where("fair_key", "=", fairKey)
        .where("state", "=", "queued")
        .where("priority", "=", priority)
        .executeTakeFirst();
      const row = await db
        .insertInto("jobs")
        .values({
          kind: kindName,
          payload: JSON.stringify(payload),
          dedupe_key: enqueueOptions.key ?? null,
          group_key: enqueueOptions.group ?? null,
          fair_key: fairKey,
          fair_rank: Number(last?.rank ?? 0) + 1,
          priority,
          state: "queued",
          max_attempts: kind.attempts ?? JOB_DEFAULTS.attempts,
          backoff_ms: kind.backoffMs ?? JOB_DEFAULTS.backoffMs,
          timeout_ms: kind.timeoutMs ?? JOB_DEFAULTS.timeoutMs,
          run_at: enqueueOptions.delayMs ? later(enqueueOptions.delayMs) : at,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!row) return null;
      for (const poke of pokes) poke();
      return String(row.id);
    },
    async get(id) {
      if (!/^\d{1,18}$/.test(id)) return undefined;
      const row = await db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async list(filter = {}) {
      let query = db.selectFrom("jobs").selectAll().orderBy("id", "desc").limit(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
      if (filter.state) query = query.where("state", "=", filter.state);
      if (filter.kind) query = query.where("kind", "=", filter.kind);
      return (await query.execute()).map(toRecord);
    },
    async retry(id) {
      const job = await queue.get(id);
      if (job?.state !== "dead") return undefined;
      const requeued = await requeue(id, { runAt: now(), fromState: "dead", resetAttempts: true });
      for (const poke of pokes) poke();
      if (requeued) return queue.get(id);
      // A job with the same key is queued already: that one is the retry.
      const waiting = await db.selectFrom("jobs").selectAll().where("dedupe_key", "=", job.key).where("state", "=", "queued").executeTakeFirst();
      return waiting ? toRecord(waiting) : queue.get(id);
    },
    async counts() {
      const rows = await db
        .selectFrom("jobs")
        .select((eb) => ["kind", "state", eb.fn.countAll<number | string>().as("n")])
        .groupBy(["kind", "state"])
        .execute();
      const counts: Record<string, Record<JobState, number>> = {};
      for (const name of kinds.names()) counts[name] = emptyCounts();
      for (const row of rows) {
        if (!JOB_STATES.includes(row.state as JobState)) continue;
        (counts[row.kind] ??= emptyCounts())[row.state as JobState] = Number(row.n);
      }
      return counts;
    },
    work(workOptions = {}) {
      return startWorker(workOptions);
    },
    close() {
      return Promise.resolve();
    },
  };

  function startWorker(workOptions: WorkOptions): JobWorker {
    const workerId = workOptions.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
    const concurrency = Math.max(1, workOptions.concurrency ?? 2);
    const running = new Map<string, { kind: string; controller: AbortController; done: Promise<void> }>();
    let stopping = false;
    let wake: (() => void) | undefined;
    const poke = (): void => wake?.();
    pokes.add(poke);

    const limitOf = (name: string): number => Math.min(concurrency, workOptions.perKind?.[name] ?? kinds.get(name)?.concurrency ?? concurrency);
    const eligibleKinds = (): string[] =>
      kinds.names().filter((name) => [...running.values()].filter((r) => r.kind === name).length < limitOf(name));

    const heartbeat = setInterval(() => {
      for (const [id, job] of running) {
        renew(id, workerId)
          .then((held) => {
            if (!held) job.controller.abort(new JobAbort("lost", "the job's lease was lost"));
          })
          .catch(() => undefined);
      }
    }, Math.max(50, Math.floor(leaseMs / 3)));
    heartbeat.unref();

    const start = (job: JobRecord): void => {
      const kind = kinds.get(job.kind)!;
      const controller = new AbortController();
      const begun = Date.now();
      workOptions.onEvent?.({ type: "started", job });
      const done = executeJob(kind, job, controller)
        .then(async (outcome) => {
          const { dead } = await finish(job, workerId, outcome);
          const durationMs = Date.now() - begun;
          if (outcome.outcome === "completed") workOptions.onEvent?.({ type: "completed", job, durationMs });
          else if (outcome.outcome === "failed") workOptions.onEvent?.({ type: "failed", job, durationMs, error: outcome.error, dead });
          else workOptions.onEvent?.({ type: "handed-back", job });
        })
        .catch(() => undefined)
        .finally(() => {
          running.delete(job.id);
          poke();
        });
      running.set(job.id, { kind: job.kind, controller, done });
    };

    const loop = (async () => {
      while (!stopping) {
        try {
          await reap();
          while (!stopping && running.size < concurrency) {
            const job = await claim(eligibleKinds(), workerId);
            if (!job) break;
            start(job);
          }
        } catch {
          // The store is briefly unreachable (a PostgreSQL restart): try again at the next poll.
        }
        if (stopping) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    })();

    return {
      async idle() {
        for (;;) {
          const names = kinds.names();
          const busy =
            running.size > 0 ||
            (names.length > 0 &&
              (await db
                .selectFrom("jobs")
                .select("id")
                .where("kind", "in", names)
                .where((eb) => eb.or([eb("state", "=", "running"), eb.and([eb("state", "=", "queued"), eb("run_at", "<=", now())])]))
                .limit(1)
                .executeTakeFirst()) !== undefined);
          if (!busy) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      async stop({ graceMs = 10_000 } = {}) {
        stopping = true;
        poke();
        pokes.delete(poke);
        await loop;
        const all = Promise.all([...running.values()].map((r) => r.done));
        const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
        await Promise.race([all, grace]);
        for (const job of running.values()) job.controller.abort(new JobAbort("shutdown", "the worker is stopping"));
        await all;
        clearInterval(heartbeat);
      },
    };
  }

  return queue;
}

function toRecord(row: {
  id: number | string;
  kind: string;
  payload: string;
  dedupe_key: string | null;
  group_key: string | null;
  priority: number;
  state: string;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  run_at: string | Date;
  created_at: string | Date;
  completed_at: string | Date | null;
  locked_by?: string | null;
}): JobRecord {
  const iso = (v: string | Date): string => (v instanceof Date ? v.toISOString() : v);
  return {
    id: String(row.id),
    kind: row.kind,
    state: row.state as JobState,
    payload: JSON.parse(row.payload) as JobRecord["payload"],
    key: row.dedupe_key,
    group: row.group_key,
    priority: row.priority,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    runAt: row.state === "queued" ? iso(row.run_at) : null,
    createdAt: iso(row.created_at),
    completedAt: row.completed_at === null ? null : iso(row.completed_at),
    ...(row.state === "running" && row.locked_by ? { lockedBy: row.locked_by } : {}),
  };
}
