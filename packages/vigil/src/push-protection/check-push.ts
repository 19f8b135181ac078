import { spawnSync } from "node:child_process";
import type { ContentLimits } from "../scan/scan-content.js";
import type { MatcherSettings } from "../scan/matcher-settings.js";
import { gitEnv } from "../sources/git/git-env.js";
import { openGitRepository } from "../sources/git/git-repository.js";
import { scanHistory } from "../sources/git/history-scanner.js";
import { emptyStats, type CommitLocation, type ReportedFinding, type ScanStats } from "../sources/types.js";
import type { BlockedSecret } from "./rejection-message.js";
import { isDeletion, pushRevisions, type RefUpdate } from "./ref-updates.js";

export interface PushCheckOptions {
  /** The receiving repository (a hook runs with its git dir as the working directory). */
  gitDir: string;
  updates: RefUpdate[];
  /** Usually `pushProtectionOnly`: only patterns eligible for push protection block. */
  settings: MatcherSettings;
  limits: ContentLimits;
  /** The time budget; past it the scan stops and `timedOut` is set. */
  timeoutMs: number;
  /** Paths whose content is not scanned (allowlisted paths). */
  skipPath?: (path: string) => boolean;
  env?: NodeJS.ProcessEnv;
}

export interface PushCheckResult {
  findings: ReportedFinding[];
  timedOut: boolean;
  stats: ScanStats;
}

/**
 * Scans what a push adds: the blobs that commits reachable from the new tips, and not from any
 * existing ref, introduce (`git log NEW... --not --all`), each blob once. In a pre-receive hook the
 * pushed objects sit in git's quarantine directory, which the inherited environment makes readable.
 */
export async function checkPush(options: PushCheckOptions): Promise<PushCheckResult> {
  const revisions = pushRevisions(options.updates);
  const repo = openGitRepository(options.gitDir, options.env ?? process.env);
  if (!repo) throw new Error("the hook is not running in a git repository");
  if (revisions.length === 0) return { findings: [], timedOut: false, stats: emptyStats() };
  const signal = AbortSignal.timeout(options.timeoutMs);
  const result = await scanHistory(repo, {
    settings: options.settings,
    limits: options.limits,
    revisions,
    signal,
    // Past 1 MB the scan moves to a worker, which the budget can stop whatever it is doing (this
    // thread cannot be interrupted inside a regex: 1 MB bounds what the budget can overrun by).
    inProcessBytes: 1024 * 1024,
    ...(options.skipPath ? { skipPath: options.skipPath } : {}),
  });
  return { findings: result.findings, timedOut: signal.aborted, stats: result.stats };
}

/**
 * The ref a rejection names (GitHub names one): the first pushed ref whose new tip reaches `commitSha`,
 * the commit of the first blocked secret; else the first pushed ref.
 */
export function refCarrying(
  gitDir: string,
  updates: RefUpdate[],
  commitSha: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const pushed = updates.filter((u) => !isDeletion(u));
  const first = pushed[0]?.ref ?? updates[0]?.ref ?? "";
  if (!commitSha || pushed.length < 2) return first;
  const base = { ...env };
  delete base["GIT_DIR"];
  delete base["GIT_WORK_TREE"];
  for (const update of pushed) {
    const result = spawnSync("git", ["merge-base", "--is-ancestor", commitSha, update.newSha], {
      cwd: gitDir,
      env: gitEnv(base),
    });
    if (result.status === 0) return update.ref;
  }
  return first;
}

/** One entry per distinct secret (type + value), with every commit and path that carries it. */
export function groupBySecret(findings: ReportedFinding[]): Array<{ key: string; findings: ReportedFinding[] }> {
  const groups = new Map<string, ReportedFinding[]>();
  for (const reported of findings) {
    const key = `${reported.finding.secretType}\u0000${reported.finding.fingerprint}`;
    const list = groups.get(key) ?? [];
    list.push(reported);
    groups.set(key, list);
  }
  return [...groups].map(([key, list]) => ({ key, findings: list }));
}

export function toBlockedSecret(findings: ReportedFinding[], allowUrl?: string): BlockedSecret {
  const first = findings[0]!;
  return {
    secretTypeDisplayName: first.finding.secretTypeDisplayName,
    locations: findings.map((f) => ({
      commitSha: (f.location as CommitLocation).commitSha ?? "",
      path: f.location.path,
      line: f.finding.startLine,
    })),
    ...(allowUrl ? { allowUrl } : {}),
  };
}
