import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Matcher } from "vigil-secrets-engine";
import type { AlertStore } from "../alerts/alert-store.js";
import type { Repository } from "../alerts/types.js";
import { JOB_KINDS, type JobKind } from "../jobs/job-kind.js";
import type { JobRunner } from "../jobs/job-runner.js";
import type { Database } from "../store/tables.js";
import { backfillFromForge, type BackfillState } from "./forge-backfill.js";
import type { ContentItem } from "./forge-events.js";

type ContentBackfillsTable = { repo_id: number; forge_url: string; forge_repo: string; state: string; updated_at: string | Date };

/** A `content-backfill` job: ids and the forge's address; the token is the worker's `VIGIL_FORGE_TOKEN`, never in the queue. */
export interface ContentBackfillPayload {
  [key: string]: unknown;
  repoId: number;
  /** The forge's API root (https://api.github.com, https://gitea.example/api/v1). */
  forgeUrl: string;
  /** `owner/name` on the forge. */
  forgeRepo: string;
}

/** Where each repository's backfill stands, in the store (`content_backfills`), so any worker resumes it. */
export interface ContentBackfillStates {
  load(repoId: number, forgeUrl: string, forgeRepo: string): Promise<BackfillState | null>;
  save(repoId: number, forgeUrl: string, forgeRepo: string, state: BackfillState): Promise<void>;
}

export function createContentBackfillStates(db: Kysely<Database>): ContentBackfillStates {
  const table = db.withTables<{ content_backfills: ContentBackfillsTable }>() as unknown as Kysely<{ content_backfills: ContentBackfillsTable }>;
  return {
    async load(repoId, forgeUrl, forgeRepo) {
      const row = await table.selectFrom("content_backfills").selectAll().where("repo_id", "=", repoId).executeTakeFirst();
      // Another forge or name: a new backfill from the start.
      if (!row || row.forge_url !== forgeUrl || row.forge_repo !== forgeRepo) return null;
      return JSON.parse(row.state) as BackfillState;
    },
    async save(repoId, forgeUrl, forgeRepo, state) {
      const values = { forge_url: forgeUrl, forge_repo: forgeRepo, state: JSON.stringify(state), updated_at: new Date().toISOString() };
      await table
        .insertInto("content_backfills")
        .values({ repo_id: repoId, ...values })
        .onConflict((oc) => oc.column("repo_id").doUpdateSet(values))
        .execute();
    },
  };
}

export interface ContentBackfillDeps {
  store: AlertStore;
  states: ContentBackfillStates;
  runner: Pick<JobRunner, "enqueue">;
  matcher: () => Matcher;
  recordContent: (store: AlertStore, matcher: Matcher, repo: Repository, items: ContentItem[]) => Promise<{ created: unknown[]; findings: number }>;
  /** The forge token (`VIGIL_FORGE_TOKEN` of the process running the job). */
  token?: string | undefined;
  fetch?: typeof fetch;
  log: Pick<Logger, "info" | "warn">;
}

/** The kind's policy, also registered by `vigil repo backfill --queue` (a queue takes a job's attempts and priority from its kind). */
export const CONTENT_BACKFILL_POLICY = { name: JOB_KINDS.contentBackfill, priority: 9, attempts: 6, backoffMs: 30_000, timeoutMs: 2 * 3600_000 } as const;

/** Queues a repository's content backfill (`vigil repo backfill --queue`); false when one is queued already. */
export function queueContentBackfill(runner: Pick<JobRunner, "enqueue">, repo: Repository, payload: Omit<ContentBackfillPayload, "repoId">, delayMs?: number): Promise<boolean> {
  return runner.enqueue(JOB_KINDS.contentBackfill, { repoId: repo.id, ...payload }, {
    key: `content-backfill:${repo.id}`,
    group: `content:${repo.id}`,
    fairKey: `org:${repo.orgId}`,
    ...(delayMs ? { delayMs } : {}),
  });
}

/**
 * The `content-backfill` job kind: a repository's existing issues, pull requests and comments through
 * the forge's API, page after page, the position saved in the store after each page. Retried with
 * backoff from where it stopped; a rate limit longer than a minute queues the job again for when it
 * resets. Idempotent: a finished backfill run again does nothing, and the alerts' uniqueness means a
 * page read twice records nothing twice.
 */
export function contentBackfillKind(deps: ContentBackfillDeps): JobKind<ContentBackfillPayload> {
  return {
    ...CONTENT_BACKFILL_POLICY,
    async run({ repoId, forgeUrl, forgeRepo }, { signal }) {
      const repo = await deps.store.getRepositoryById(repoId);
      if (!repo) return;
      const saved = await deps.states.load(repoId, forgeUrl, forgeRepo);
      if (saved?.done) return;
      const scan = await deps.store.createScan({ repoId, kind: "backfill", type: "issue" });
      await deps.store.updateScan(scan.id, { status: "running", startedAt: new Date().toISOString() });
      let created = 0;
      try {
        const result = await backfillFromForge({
          baseUrl: forgeUrl,
          repository: forgeRepo,
          ...(deps.token ? { token: deps.token } : {}),
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          maxWaitMs: 60_000,
          signal,
          onItems: async (items) => {
            created += (await deps.recordContent(deps.store, deps.matcher(), repo, items)).created.length;
          },
          loadState: () => Promise.resolve(saved),
          saveState: (state) => deps.states.save(repoId, forgeUrl, forgeRepo, state),
        });
        await deps.store.updateScan(scan.id, { status: result.stoppedAt ? "pending" : "completed", completedAt: result.stoppedAt ? null : new Date().toISOString() });
        if (result.stoppedAt) {
          const delayMs = Math.max(1000, result.stoppedAt.resetAt - Date.now() + 1000);
          await queueContentBackfill(deps.runner, repo, { forgeUrl, forgeRepo }, delayMs);
          deps.log.info({ repo: repo.fullName, resumeInMs: delayMs, created }, "content backfill paused at the forge's rate limit");
        } else deps.log.info({ repo: repo.fullName, texts: result.state.items, created }, "content backfill complete");
      } catch (error) {
        await deps.store.updateScan(scan.id, { status: "failed", completedAt: new Date().toISOString(), error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    },
  };
}
