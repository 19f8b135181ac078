import type { ExplainedCandidate, Finding } from "vigil-secrets-engine";

/** A finding in a file on disk (or standard input, path `-`), or in a staged file (`blobSha`: its blob in the index). */
export interface FileLocation {
  type: "file";
  path: string;
  blobSha?: string;
}

/** A finding in a git blob, as GitHub reports a commit location, with the commit that introduced it. */
export interface CommitLocation {
  type: "commit";
  path: string;
  commitSha: string;
  blobSha: string;
  authorName: string;
  authorEmail: string;
  authorDate: string;
  committerName: string;
  committerEmail: string;
  committerDate: string;
}

export type FindingLocation = FileLocation | CommitLocation;

/** What every output format renders: the engine's finding plus where it was. */
/** A candidate not reported (\`vigil scan --explain\`), with the file it is in. */
export interface ReportedExplained {
  explained: ExplainedCandidate;
  path: string;
}

export interface ReportedFinding {
  finding: Finding;
  location: FindingLocation;
  /** `vigil scan --validate`: what the secret's issuer answered (`detail`: `HTTP 401`, never the secret). */
  validity?: { validity: "active" | "inactive" | "unknown"; detail: string };
}

/** Counts for the summary line; skipped and unreadable items are data, not crashes. */
export interface ScanStats {
  filesScanned: number;
  bytesScanned: number;
  skippedBinary: number;
  skippedTooLarge: number;
  skippedLfs: number;
  skippedAllowlisted: number;
  unreadable: number;
  /** Warnings to show the user, one line each (no secrets). */
  warnings: string[];
  durationMs: number;
  /** Extra counters a source adds (blobs, commits). */
  extra?: Record<string, number>;
}

export function emptyStats(): ScanStats {
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
