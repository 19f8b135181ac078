import type { BypassReason } from "../alerts/types.js";

/** A secret a push was blocked on, remembered so that the pusher can allow it (GitHub's `placeholder_id`). */
export interface BypassPlaceholder {
  placeholderId: string;
  repoId: number;
  /** Only the pusher may allow it. */
  pusherId: number;
  secretType: string;
  secretTypeDisplayName: string;
  commitSha: string;
  path: string;
  line: number;
  ref: string;
  createdAt: string;
  /** Set once the pusher allowed it. */
  reason: BypassReason | null;
  bypassedAt: string | null;
  /** The allowance lasts until then (GitHub: a limited time); the next push within it passes. */
  expiresAt: string | null;
  /** Set when a push carried the secret through and its alert was created. */
  usedAt: string | null;
}

export type PushOutcome = "blocked" | "bypassed" | "allowed" | "timeout_allowed" | "timeout_rejected";

export interface PushEvent {
  repoId: number;
  pusherId: number | null;
  outcome: PushOutcome;
  /** The secret types involved (blocked or bypassed). */
  secretTypes: string[];
  reason?: BypassReason | null;
}

export interface PushMetrics {
  blocked: number;
  bypassed: number;
  byType: { secretType: string; blocked: number; bypassed: number }[];
  byRepository: { repoId: number; blocked: number; bypassed: number }[];
  byReason: { reason: BypassReason; count: number }[];
  /** Per UTC day with pushes blocked or bypassed (`YYYY-MM-DD`), oldest first: the metrics page's trend. */
  byDay: { day: string; blocked: number; bypassed: number }[];
}

export type PatternSetting = "not-set" | "disabled" | "enabled";
export type PatternConfigScope = `org:${number}` | "enterprise";

export interface PatternConfig {
  /** Optimistic-concurrency token: a PATCH naming an older version gets 409. */
  version: string;
  /** Only patterns whose setting differs from `not-set`. */
  settings: Map<string, PatternSetting>;
}

/** What push protection needs of the store, beyond alerts. Implemented over the same database. */
export interface PushProtectionStore {
  createPlaceholder(input: Omit<BypassPlaceholder, "placeholderId" | "createdAt" | "reason" | "bypassedAt" | "expiresAt" | "usedAt"> & { secret: string }): Promise<BypassPlaceholder>;
  getPlaceholder(placeholderId: string): Promise<BypassPlaceholder | null>;
  /** Records the pusher's reason; the allowance expires after `ttlMs`. */
  allowPlaceholder(placeholderId: string, reason: BypassReason, ttlMs: number): Promise<BypassPlaceholder>;
  /** An unexpired allowance by this pusher for this secret in this repository. */
  findAllowance(repoId: number, pusherId: number, secretType: string, secret: string): Promise<BypassPlaceholder | null>;
  markPlaceholderUsed(placeholderId: string): Promise<void>;
  recordPushEvent(event: PushEvent): Promise<void>;
  pushMetrics(filter: { repoIds: number[]; since?: string }): Promise<PushMetrics>;
  /** `org:<id>` or `enterprise`. */
  getPatternConfig(scope: PatternConfigScope): Promise<PatternConfig>;
  /** Applies settings if `expectedVersion` is current; returns the new version, or null on a stale version. */
  updatePatternConfig(scope: PatternConfigScope, expectedVersion: string | null, settings: Map<string, PatternSetting>): Promise<string | null>;
  /** Per secret type, over these repositories: alerts, and alerts closed as false positives (pattern configuration figures). */
  alertStatsByType(repoIds: number[]): Promise<Map<string, { total: number; falsePositives: number }>>;
}
