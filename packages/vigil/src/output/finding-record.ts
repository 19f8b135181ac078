import { locationFingerprint } from "./location-fingerprint.js";
import type { PathKind } from "./path-kind.js";
import type { SecretResult } from "./secret-results.js";

export interface RecordOptions {
  /** Show raw secrets instead of masked ones. */
  showSecrets: boolean;
}

/** A finding in Vigil's output shape: snake_case, GitHub's names where GitHub has them. */
export interface FindingRecord {
  secret_type: string;
  secret_type_display_name: string;
  provider: string;
  confidence: string;
  push_protection: boolean;
  secret: string;
  path: string;
  start_line: number;
  end_line: number;
  start_column: number;
  end_column: number;
  /** The secret's type, path and a 16-bit tag of it, hashed: what baselines and allowlist.fingerprints hold (see location-fingerprint.ts). */
  fingerprint: string;
  is_base64_encoded: boolean;
  commit_sha?: string;
  blob_sha?: string;
  author_name?: string;
  author_email?: string;
  author_date?: string;
  committer_name?: string;
  committer_email?: string;
  /** The committer date, as GitHub's commit location reports the commit's date. */
  commit_date?: string;
  paired_secret?: { secret_type: string; secret: string; start_line: number; start_column: number };
  /** With `--validate`: `active`, `inactive` or `unknown`, as GitHub's alert `validity`. */
  validity?: string;
  /** With `--validate`: why (`HTTP 401`, `no validity check for this secret type`). */
  validity_detail?: string;
  /** The secret this location belongs to: its 1-based number in the report, the same for every location of one secret. */
  result: number;
  /** How many locations that secret has in the report. */
  result_locations: number;
  /** What the path's name says it is: code, test, documentation (and examples) or vendored. */
  path_kind: PathKind;
  /** A generic match found only in tests, documentation examples or vendored files: listed after the others. */
  ranked_last: boolean;
}

/** Every field a record can carry, in output order: CSV columns, the table, SARIF properties and JUnit details follow it. */
export const FINDING_RECORD_FIELDS = [
  "secret_type",
  "secret_type_display_name",
  "provider",
  "confidence",
  "push_protection",
  "secret",
  "path",
  "start_line",
  "end_line",
  "start_column",
  "end_column",
  "fingerprint",
  "is_base64_encoded",
  "commit_sha",
  "blob_sha",
  "author_name",
  "author_email",
  "author_date",
  "committer_name",
  "committer_email",
  "commit_date",
  "paired_secret",
  "validity",
  "validity_detail",
  "result",
  "result_locations",
  "path_kind",
  "ranked_last",
] as const satisfies ReadonlyArray<keyof FindingRecord>;

/** The one mapping from findings to output records: the finding at index `index` of its secret's result. */
export function toFindingRecord(result: SecretResult, index: number, options: RecordOptions): FindingRecord {
  const reported = result.findings[index]!;
  const { finding, location } = reported;
  const show = (value: { reveal(): string; masked(): string }): string =>
    options.showSecrets ? value.reveal() : value.masked();
  const record: Omit<FindingRecord, "result" | "result_locations" | "path_kind" | "ranked_last"> = {
    secret_type: finding.secretType,
    secret_type_display_name: finding.secretTypeDisplayName,
    provider: finding.provider,
    confidence: finding.confidence,
    push_protection: finding.pushProtection,
    secret: show(finding.secret),
    path: location.path,
    start_line: finding.startLine,
    end_line: finding.endLine,
    start_column: finding.startColumn,
    end_column: finding.endColumn,
    fingerprint: locationFingerprint(reported),
    is_base64_encoded: finding.isBase64Encoded,
  };
  if (location.type === "commit") {
    record.commit_sha = location.commitSha;
    record.blob_sha = location.blobSha;
    record.author_name = location.authorName;
    record.author_email = location.authorEmail;
    record.author_date = location.authorDate;
    record.committer_name = location.committerName;
    record.committer_email = location.committerEmail;
    record.commit_date = location.committerDate;
  } else if (location.blobSha !== undefined) {
    record.blob_sha = location.blobSha;
  }
  if (finding.paired) {
    record.paired_secret = {
      secret_type: finding.paired.secretType,
      secret: show(finding.paired.secret),
      start_line: finding.paired.startLine,
      start_column: finding.paired.startColumn,
    };
  }
  if (reported.validity) {
    record.validity = reported.validity.validity;
    record.validity_detail = reported.validity.detail;
  }
  // Last, so that the fields older versions printed keep their places.
  return {
    ...record,
    result: result.number,
    result_locations: result.findings.length,
    path_kind: result.pathKinds[index]!,
    ranked_last: result.rankedLast,
  };
}
