import type { AlertStore } from "../alerts/alert-store.js";
import { toDetectedSecret } from "../alerts/detected-secret.js";
import type { Alert, Repository } from "../alerts/types.js";
import type { InProcessRunner } from "../jobs/in-process-runner.js";
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
  runner: InProcessRunner;
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
  backfill(pattern: CustomPattern, senderId?: number | null): void;
  /**
   * After an edit of a published pattern: alerts the new version does not find are closed as
   * `pattern_edited`; new ones open. Each scan ends in a `pattern-version-backfill` webhook.
   */
  reconcileEdit(pattern: CustomPattern, senderId?: number | null): void;
  /** A deleted pattern's alerts: deleted, or resolved as `pattern_deleted`. */
  removeAlerts(pattern: CustomPattern, action: "delete_alerts" | "resolve_alerts"): Promise<void>;
}

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

  return {
    coveredRepositories,

    async dryRun(pattern, repos, userId) {
      const run = await customPatterns.createDryRun({
        patternId: pattern.id,
        patternVersion: pattern.version,
        repoIds: repos.map((r) => r.id),
        createdBy: userId,
      });
      runner.enqueue({
        key: `custom-pattern-dry-run:${run.id}`,
        run: async (signal) => {
          await customPatterns.updateDryRun(run.id, { status: "in_progress" });
          try {
            const results: DryRunResult[] = [];
            let count = 0;
            for (const repo of repos) {
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
            await customPatterns.updateDryRun(run.id, { status: "completed", resultCount: count, results });
            log?.info({ pattern: pattern.id, dryRun: run.id, results: count }, "custom pattern dry run completed");
          } catch (error) {
            await customPatterns.updateDryRun(run.id, {
              status: "failed",
              error: error instanceof Error ? error.message : String(error),
            });
          }
        },
      });
      return run.id;
    },

    backfill(pattern, senderId = null) {
      runner.enqueue({
        key: `custom-pattern-backfill:${pattern.id}:${pattern.version}`,
        run: async (signal) => {
          for (const repo of await coveredRepositories(pattern)) {
            try {
              await scanAndRecord(pattern, repo, signal, { type: "custom-pattern-backfill", senderId });
            } catch (error) {
              log?.warn(
                { pattern: pattern.id, repo: repo.fullName, err: String(error) },
                "custom pattern backfill failed",
              );
            }
          }
        },
      });
    },

    reconcileEdit(pattern, senderId = null) {
      runner.enqueue({
        key: `custom-pattern-edit:${pattern.id}:${pattern.version}`,
        run: async (signal) => {
          const typeId = customPatternTypeId(pattern.id);
          for (const repo of await coveredRepositories(pattern)) {
            try {
              const open = await openAlertsOf(repo.id, typeId);
              const stillFound = await scanAndRecord(pattern, repo, signal, {
                type: "pattern-version-backfill",
                senderId,
              });
              if (stillFound)
                await resolveAll(
                  open.filter((a) => !stillFound.has(a.secret)),
                  "pattern_edited",
                );
            } catch (error) {
              log?.warn(
                { pattern: pattern.id, repo: repo.fullName, err: String(error) },
                "custom pattern edit rescan failed",
              );
            }
          }
        },
      });
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
