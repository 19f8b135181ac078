import type { Finding } from "vigil-secrets-engine";
import { createBlobScanner } from "../../scan/blob-scanner.js";
import type { MatcherSettings } from "../../scan/matcher-settings.js";
import { fromWire, type ContentLimits } from "../../scan/scan-content.js";
import { emptyStats, type ReportedFinding, type ScanStats } from "../types.js";
import { createCatFileReader } from "./cat-file-reader.js";
import { listStagedBlobs, type GitRepository } from "./git-repository.js";

export interface StagedScanOptions {
  settings: MatcherSettings;
  limits: ContentLimits;
  threads?: number;
  /** Paths (relative to the top level) not to scan: allowlisted paths. */
  skipPath?: (path: string) => boolean;
  signal?: AbortSignal;
}

/**
 * Scans what is about to be committed: the blobs of the index (git's temporary index during
 * `git commit -a` or `git commit <paths>`, through `GIT_INDEX_FILE`) that differ from HEAD. Each is
 * reported as a file location with its path and blob id.
 */
export async function scanStagedBlobs(repo: GitRepository, options: StagedScanOptions): Promise<{ findings: ReportedFinding[]; stats: ScanStats }> {
  const started = performance.now();
  const stats = emptyStats();
  const staged = (await listStagedBlobs(repo)).filter((blob) => {
    if (!options.skipPath?.(blob.path)) return true;
    stats.skippedAllowlisted++;
    return false;
  });
  const findingsByIndex = new Map<number, Finding[]>();
  const scanner = createBlobScanner({
    settings: options.settings,
    limits: options.limits,
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    onResult: (result) => {
      if (result.outcome === "scanned") {
        stats.filesScanned++;
        stats.bytesScanned += result.bytes;
      } else if (result.outcome === "binary") stats.skippedBinary++;
      else if (result.outcome === "lfs") stats.skippedLfs++;
      else if (result.outcome === "too-large") stats.skippedTooLarge++;
      if (result.findings.length > 0) findingsByIndex.set(result.index, result.findings.map(fromWire));
    },
  });
  const reader = createCatFileReader({ cwd: repo.cwd, env: repo.env, maxSize: options.limits.maxFileSize });
  try {
    let index = 0;
    for await (const object of reader.readAll(staged.map((blob) => blob.oid), options.signal ? { signal: options.signal } : {})) {
      const i = index++;
      if (object.outcome === "found") {
        const wait = scanner.scan(i, object.content!);
        if (wait) await wait;
      } else if (object.outcome === "too-large") {
        stats.skippedTooLarge++;
      } else {
        stats.unreadable++;
        stats.warnings.push(`${staged[i]!.path}: staged blob ${object.name} could not be read (${object.reason ?? object.outcome})`);
      }
    }
    await scanner.finish();
  } finally {
    await scanner.close();
    await reader.close();
  }
  const findings: ReportedFinding[] = [];
  for (const [i, list] of findingsByIndex) {
    const blob = staged[i]!;
    for (const finding of list) findings.push({ finding, location: { type: "file", path: blob.path, blobSha: blob.oid } });
  }
  findings.sort((a, b) => (a.location.path < b.location.path ? -1 : a.location.path > b.location.path ? 1 : a.finding.startOffset - b.finding.startOffset));
  stats.extra = { "staged files": staged.length };
  stats.durationMs = performance.now() - started;
  return { findings, stats };
}
