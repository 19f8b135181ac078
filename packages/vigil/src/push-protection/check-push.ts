import type { ContentLimits } from "../scan/scan-content.js";
import type { MatcherSettings } from "../scan/matcher-settings.js";
import { openGitRepository } from "../sources/git/git-repository.js";
import { scanHistory } from "../sources/git/history-scanner.js";
import type { CommitLocation, ReportedFinding, ScanStats } from "../sources/types.js";
import type { BlockedSecret } from "./rejection-message.js";
import { pushRevisions, type RefUpdate } from "./ref-updates.js";

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
  if (revisions.length === 0) return { findings: [], timedOut: false, stats: emptyScanStats() };
  const signal = AbortSignal.timeout(options.timeoutMs);
  const result = await scanHistory(repo, {
    settings: options.settings,
    limits: options.limits,
    revisions,
    signal,
    ...(options.skipPath ? { skipPath: options.skipPath } : {}),
  });
  return { findings: result.findings, timedOut: signal.aborted, stats: result.stats };
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

function emptyScanStats(): ScanStats {
  return {
    filesScanned: 0,
    bytesScanned: 0,
    skippedBinary: 0,
    skippedTooLarge: 0,
    skippedLfs: 0,
    skippedAllowlisted: 0,
    unreadable: 0,
    warnings: [],
    durationMs: 0,
  };
}
