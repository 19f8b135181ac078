import type { AlertStore } from "../alerts/alert-store.js";
import { toDetectedSecret } from "../alerts/detected-secret.js";
import type { Alert, Repository } from "../alerts/types.js";
import { JOB_KINDS } from "../jobs/job-kind.js";
import type { JobRunner } from "../jobs/job-runner.js";
import { toPatternInput } from "./to-pattern-input.js";
import { scanWithPatterns } from "./scan-with-patterns.js";
import {
  customPatternTypeId,
  DRY_RUN_SAMPLE,
  type CustomPattern,
  type CustomPatternScanType,
  type CustomPatternStore,
  type DryRunResult,
} from "./custom-pattern-store.js";

export interface CustomPatternJobsOptions {
  store: AlertStore;
  customPatterns: CustomPatternStore;
  /** Dry runs, backfills and edit rescans are jobs on it (`custom-pattern-*` kinds, registered here). */
  runner: JobRunner;
  log?: {
    info(fields: Record<string, unknown>, message: string): void;
    warn(fields: Record<string, unknown>, message: string): void;
  };
}

/** The background work custom patterns cause: dry runs, backfills, and alerts closed by an edit or a deletion. */
export interface CustomPatternJobs {
  /** Repositories a pattern covers: its repository, its organization's, or every one (enterprise). */
  coveredRepositories(pattern: Pick<CustomPattern, "scope" | "repoId" | "orgId">): Promise<Repository[]>;
  dryRun(pattern: CustomPattern, repos: Repository[], userId: number | null): Promise<number>;
  /**
   * Publishing: the pattern alone over every covered repository's history; alerts for what it finds.
   * Each repository's scan ends in a `secret_scanning_scan` `custom-pattern-backfill` webhook sent by
   * `senderId` (who published it).
   */
  backfill(pattern: CustomPattern, senderId?: number | null): Promise<void>;
  /**
   * After an edit of a published pattern: alerts the new version does not find are closed as
   * `pattern_edited`; new ones open. Each scan ends in a `pattern-version-backfill` webhook.
   */
  reconcileEdit(pattern: CustomPattern, senderId?: number | null): Promise<void>;
  /** A deleted pattern's alerts: deleted, or resolved as `pattern_deleted`. */
  removeAlerts(pattern: CustomPattern, action: "delete_alerts" | "resolve_alerts"): Promise<void>;
}

/** A pattern's backfill and its edit rescan read whole histories: behind pushes, long, retried slowly. */
const HISTORY_SCAN_POLICY = { priority: 8, attempts: 5, backoffMs: 10_000, timeoutMs: 6 * 3600_000 } as const;

export function createCustomPatternJobs(options: CustomPatternJobsOptions): CustomPatternJobs {
  const { store, customPatterns, runner, log } = options;

  async function coveredRepositories(
    pattern: Pick<CustomPattern, "scope" | "repoId" | "orgId">,
  ): Promise<Repository[]> {
    if (pattern.scope === "repository") {
      const repo = pattern.repoId === null ? null : await store.getRepositoryById(pattern.repoId);
      return repo ? [repo] : [];
    }
    const orgs = new Map((await store.listOrganizations()).map((o) => [o.id, o]));
    const repos = await store.listRepositories(
      pattern.scope === "organization" && pattern.orgId !== null ? { orgId: pattern.orgId } : undefined,
    );
    return repos.filter((r) => r.secretScanningEnabled && orgs.get(r.orgId)?.secretScanningEnabled === true);
  }

  async function openAlertsOf(repoId: number, secretType: string): Promise<Alert[]> {
    const alerts: Alert[] = [];
    for (let page = 1; ; page++) {
      const result = await store.listAlerts({
        repoIds: [repoId],
        secretTypes: [secretType],
        state: "open",
        sort: "created",
        direction: "asc",
        perPage: 100,
        page,
      });
      alerts.push(...result.alerts);
      if (!result.hasNext) return alerts;
    }
  }

  async function resolveAll(alerts: Alert[], resolution: "pattern_edited" | "pattern_deleted"): Promise<void> {
    for (const alert of alerts)
      await store.updateAlert(alert.repoId, alert.number, { state: "resolved", resolution }, null);
  }

  /**
   * Scans one repository's history with the pattern alone and records what it finds; returns the
   * secrets found, or null when the pattern changed or went while its scan ran (the newer version's
   * own scan records instead).
   */
  async function scanAndRecord(
    pattern: CustomPattern,
    repo: Repository,
    signal: AbortSignal,
    cause: { type: CustomPatternScanType; senderId: number | null },
  ): Promise<Set<string> | null> {
    const scan = await store.createScan({ repoId: repo.id, kind: "custom_pattern_backfill", type: "git" });
    await customPatterns.recordScan(scan.id, pattern, cause);
    await store.updateScan(scan.id, { status: "running", startedAt: new Date().toISOString() });
    try {
      const findings = await scanWithPatterns(repo.mirrorPath, [toPatternInput(pattern)], signal);
      const current = await customPatterns.get(pattern.id);
      const stale = current?.state !== "published" || current.version !== pattern.version;
      const detections = stale ? [] : findings.flatMap((f) => toDetectedSecret(f) ?? []);
      await store.recordDetections(repo.id, detections, { scanId: scan.id });
      await store.updateScan(scan.id, { status: "completed", completedAt: new Date().toISOString() });
      return stale ? null : new Set(detections.map((d) => d.secret));
    } catch (error) {
      await store.updateScan(scan.id, {
        status: "failed",
        completedAt: new Date().toISOString(),
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }

  /**
   * Whether this version of the pattern already scanned the repository to completion: a backfill job
   * that runs twice (its worker killed after the work) scans each repository once.
   */
  async function alreadyScanned(pattern: CustomPattern, repo: Repository): Promise<boolean> {
    const scans = (await store.listScans(repo.id, 50)).filter(
      (s) =>
        s.kind === "custom_pattern_backfill" &&
        s.status === "completed" &&
        s.startedAt !== null &&
        s.startedAt >= pattern.updatedAt,
    );
    if (scans.length === 0) return false;
    const names = await customPatterns.scanPatterns(scans.map((s) => s.id));
    return scans.some((s) => names.get(s.id)?.name === pattern.name && names.get(s.id)?.scope === pattern.scope);
  }

  /** The pattern as it is now, when it is still the published version the job was queued for. */
  async function publishedVersion(patternId: number, version: string): Promise<CustomPattern | null> {
    const pattern = await customPatterns.get(patternId);
    return pattern?.state === "published" && pattern.version === version ? pattern : null;
  }

  /**
   * Runs `each` over every covered repository; a repository that fails does not stop the others, but
   * fails the job at the end (so it is retried with backoff: the repositories done are skipped then).
   */
  async function forEachRepository(
    pattern: CustomPattern,
    what: string,
    each: (repo: Repository) => Promise<void>,
  ): Promise<void> {
    let failed = 0;
    let lastError = "";
    for (const repo of await coveredRepositories(pattern)) {
      try {
        await each(repo);
      } catch (error) {
        failed++;
        lastError = error instanceof Error ? error.message : String(error);
        log?.warn({ pattern: pattern.id, repo: repo.fullName, err: lastError }, `custom pattern ${what} failed`);
      }
    }
    if (failed > 0) throw new Error(`custom pattern ${what}: ${failed} repositories failed (${lastError})`);
  }

  runner.kinds.register<{ dryRunId: number; patternId: number; repoIds: number[] }>({
    name: JOB_KINDS.customPatternDryRun,
    priority: 4,
    attempts: 3,
    backoffMs: 5_000,
    timeoutMs: 30 * 60_000,
    async run({ dryRunId, patternId, repoIds }, { signal }) {
      const pattern = await customPatterns.get(patternId);
      const latest = await customPatterns.latestDryRun(patternId);
      // Done already (the job ran twice), or the pattern is gone: nothing to do.
      if (!pattern || (latest?.id === dryRunId && latest.status === "completed")) return;
      await customPatterns.updateDryRun(dryRunId, { status: "in_progress" });
      try {
        const results: DryRunResult[] = [];
        let count = 0;
        for (const repoId of repoIds) {
          const repo = await store.getRepositoryById(repoId);
          if (!repo) continue;
          // A dry run creates no alert: it only reports where the pattern matches.
          for (const { finding, location } of await scanWithPatterns(
            repo.mirrorPath,
            [toPatternInput(pattern)],
            signal,
          )) {
            if (location.type !== "commit") continue;
            count++;
            if (results.length < DRY_RUN_SAMPLE)
              results.push({
                repository: repo.fullName,
                commitSha: location.commitSha,
                path: location.path,
                startLine: finding.startLine,
                secret: finding.secret.reveal(),
              });
          }
        }
        await customPatterns.updateDryRun(dryRunId, { status: "completed", resultCount: count, results });
        log?.info({ pattern: pattern.id, dryRun: dryRunId, results: count }, "custom pattern dry run completed");
      } catch (error) {
        // Shown as failed until a retry succeeds; the job is retried with backoff, then dead.
        await customPatterns.updateDryRun(dryRunId, {
          status: "failed",
          error: error instanceof Error ? error.message : String(error),
        });
        throw error;
      }
    },
  });

  // `senderId`: who published or edited the pattern; each repository's scan ends in a
  // `secret_scanning_scan` webhook sent by them (absent in jobs queued before it was recorded).
  runner.kinds.register<{ patternId: number; version: string; senderId?: number | null }>({
    name: JOB_KINDS.customPatternBackfill,
    ...HISTORY_SCAN_POLICY,
    async run({ patternId, version, senderId = null }, { signal }) {
      // An edited or deleted pattern: the newer version's own job scans instead.
      const pattern = await publishedVersion(patternId, version);
      if (!pattern) return;
      await forEachRepository(pattern, "backfill", async (repo) => {
        if (!(await alreadyScanned(pattern, repo)))
          await scanAndRecord(pattern, repo, signal, { type: "custom-pattern-backfill", senderId });
      });
    },
  });

  runner.kinds.register<{ patternId: number; version: string; senderId?: number | null }>({
    name: JOB_KINDS.customPatternEdit,
    ...HISTORY_SCAN_POLICY,
    async run({ patternId, version, senderId = null }, { signal }) {
      const pattern = await publishedVersion(patternId, version);
      if (!pattern) return;
      const typeId = customPatternTypeId(pattern.id);
      await forEachRepository(pattern, "edit rescan", async (repo) => {
        if (await alreadyScanned(pattern, repo)) return;
        const open = await openAlertsOf(repo.id, typeId);
        const stillFound = await scanAndRecord(pattern, repo, signal, { type: "pattern-version-backfill", senderId });
        if (stillFound)
          await resolveAll(
            open.filter((a) => !stillFound.has(a.secret)),
            "pattern_edited",
          );
      });
    },
  });

  return {
    coveredRepositories,

    async dryRun(pattern, repos, userId) {
      const run = await customPatterns.createDryRun({
        patternId: pattern.id,
        patternVersion: pattern.version,
        repoIds: repos.map((r) => r.id),
        createdBy: userId,
      });
      await runner.enqueue(
        JOB_KINDS.customPatternDryRun,
        { dryRunId: run.id, patternId: pattern.id, repoIds: repos.map((r) => r.id) },
        { key: `custom-pattern-dry-run:${run.id}` },
      );
      return run.id;
    },

    async backfill(pattern, senderId = null) {
      await runner.enqueue(
        JOB_KINDS.customPatternBackfill,
        { patternId: pattern.id, version: pattern.version, senderId },
        { key: `custom-pattern-backfill:${pattern.id}:${pattern.version}` },
      );
    },

    async reconcileEdit(pattern, senderId = null) {
      await runner.enqueue(
        JOB_KINDS.customPatternEdit,
        { patternId: pattern.id, version: pattern.version, senderId },
        { key: `custom-pattern-edit:${pattern.id}:${pattern.version}` },
      );
    },

    async removeAlerts(pattern, action) {
      const typeId = customPatternTypeId(pattern.id);
      const repos = await coveredRepositories(pattern);
      if (action === "delete_alerts") {
        await customPatterns.deleteAlerts(
          repos.map((r) => r.id),
          typeId,
        );
        return;
      }
      for (const repo of repos) await resolveAll(await openAlertsOf(repo.id, typeId), "pattern_deleted");
    },
  };
}
