/** GitHub's three levels a custom pattern is defined at. */
export type CustomPatternScope = "repository" | "organization" | "enterprise";

/** Where a pattern lives: one repository, one organization, or the instance (Vigil's one enterprise). */
export type ScopeRef =
  { scope: "repository"; repoId: number } | { scope: "organization"; orgId: number } | { scope: "enterprise" };

export interface CustomPattern {
  id: number;
  scope: CustomPatternScope;
  repoId: number | null;
  orgId: number | null;
  name: string;
  slug: string;
  pattern: string;
  startDelimiter: string | null;
  endDelimiter: string | null;
  mustMatch: string[] | null;
  mustNotMatch: string[] | null;
  state: "published" | "unpublished";
  pushProtectionEnabled: boolean;
  version: string;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

/** The fields a user sets (GitHub's REST names, camelCased). */
export interface CustomPatternFields {
  name: string;
  pattern: string;
  startDelimiter: string | null;
  endDelimiter: string | null;
  mustMatch: string[] | null;
  mustNotMatch: string[] | null;
  state: "published" | "unpublished";
  pushProtectionEnabled: boolean;
}

export type CustomPatternChange = Partial<Omit<CustomPatternFields, "name">>;

/** One match of a dry run: where, and the secret (sealed at rest; masked unless asked for). */
export interface DryRunResult {
  repository: string;
  commitSha: string;
  path: string;
  startLine: number;
  secret: string;
}

export interface DryRun {
  id: number;
  patternId: number;
  patternVersion: string;
  status: "queued" | "in_progress" | "completed" | "failed";
  repoIds: number[];
  /** Matches found in all (the sample holds at most DRY_RUN_SAMPLE of them). */
  resultCount: number;
  results: DryRunResult[];
  error: string | null;
  createdAt: string;
  completedAt: string | null;
}

/** Thrown when `custom_pattern_version` is not the stored one (someone else edited it first). */
export class CustomPatternVersionMismatch extends Error {
  constructor(public readonly patternId: number) {
    super(`custom_pattern_version does not match the current version of pattern ${patternId}`);
    this.name = "CustomPatternVersionMismatch";
  }
}

/**
 * GitHub's `secret_scanning_scan` types for a custom pattern's scan: the backfill of a newly published
 * pattern, or of a new version of a published one after an edit.
 */
export type CustomPatternScanType = "custom-pattern-backfill" | "pattern-version-backfill";

/** What a custom pattern's scan ran: the pattern's name and level, why, and who caused it. */
export interface CustomPatternScanInfo {
  name: string;
  scope: CustomPatternScope;
  type: CustomPatternScanType;
  /** The user who published or edited the pattern (null when unknown). */
  senderId: number | null;
}

export interface ListCustomPatternsQuery {
  state?: "published" | "unpublished";
  pushProtection?: boolean;
  sort: "created" | "updated" | "name";
  direction: "asc" | "desc";
}

export interface CustomPatternStore {
  list(where: ScopeRef, query?: ListCustomPatternsQuery): Promise<CustomPattern[]>;
  count(where: ScopeRef): Promise<number>;
  get(id: number): Promise<CustomPattern | null>;
  /** Creates all or none (one transaction). */
  createMany(where: ScopeRef, patterns: CustomPatternFields[], createdBy: number | null): Promise<CustomPattern[]>;
  /** Changes a pattern if `version` is its current version (else CustomPatternVersionMismatch); a new version results. */
  update(id: number, version: string | null, change: CustomPatternChange): Promise<CustomPattern>;
  /** Deletes patterns whose given versions (when given) are current: all or none. */
  deleteMany(items: { id: number; version: string | null }[]): Promise<CustomPattern[]>;
  /** The published patterns that apply to a repository: its own, its organization's and the enterprise's. */
  publishedFor(repoId: number, orgId: number): Promise<CustomPattern[]>;

  /**
   * Records the pattern a `custom_pattern_backfill` scan runs, why (published or edited) and who caused
   * it; `scanPatterns` reads them back for the scan history and the `secret_scanning_scan` webhook.
   */
  recordScan(
    scanId: number,
    pattern: Pick<CustomPattern, "name" | "scope">,
    cause?: { type: CustomPatternScanType; senderId: number | null },
  ): Promise<void>;
  scanPatterns(scanIds: number[]): Promise<Map<number, CustomPatternScanInfo>>;
  /** Deletes the alerts of one type in these repositories (a deleted pattern's, `post_delete_action: delete_alerts`). */
  deleteAlerts(repoIds: number[], secretType: string): Promise<number>;

  createDryRun(input: {
    patternId: number;
    patternVersion: string;
    repoIds: number[];
    createdBy: number | null;
  }): Promise<DryRun>;
  updateDryRun(
    id: number,
    patch: { status: DryRun["status"]; resultCount?: number; results?: DryRunResult[]; error?: string | null },
  ): Promise<DryRun>;
  latestDryRun(patternId: number): Promise<DryRun | null>;
}

/** GitHub's limits: 100 custom patterns per repository, 500 per organization or enterprise. */
export const CUSTOM_PATTERN_LIMITS: Readonly<Record<CustomPatternScope, number>> = {
  repository: 100,
  organization: 500,
  enterprise: 500,
};

/** GitHub's dry run shows a sample of up to 1,000 results. */
export const DRY_RUN_SAMPLE = 1000;

/** The engine's pattern id of a stored custom pattern: GitHub's `token_type` for it (`cp_<id>`). */
export const customPatternTypeId = (id: number): string => `cp_${id}`;
