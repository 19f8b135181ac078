import type { Validity } from "../alerts/types.js";

/** What started a check: a new alert, a person (API or page), or the periodic recheck of open alerts. */
export type ValidityCheckSource = "on_creation" | "on_demand" | "periodic";

export interface ValidityCheckRecord {
  alertId: number;
  checkedAt: string;
  result: Validity;
  detail: string;
  source: ValidityCheckSource;
}

/** An open alert whose secret is due for a check. */
export interface DueAlert {
  alertId: number;
  repoId: number;
  number: number;
  /** Never checked: the check on creation. */
  neverChecked: boolean;
}

/** Validity checks' own records: the organization switch and each alert's last check. */
export interface ValidityStore {
  /** Off unless an owner enabled it. */
  isEnabled(orgId: number): Promise<boolean>;
  setEnabled(orgId: number, enabled: boolean): Promise<void>;
  recordCheck(record: ValidityCheckRecord): Promise<void>;
  getCheck(alertId: number): Promise<ValidityCheckRecord | null>;
  /**
   * Open alerts of the given types, in organizations that enabled checks: never checked first, then
   * those last checked before `checkedBefore` (or, when the last answer was `unknown`, before
   * `unknownCheckedBefore`), oldest first.
   */
  listDue(input: {
    secretTypes: readonly string[];
    checkedBefore: string;
    unknownCheckedBefore?: string;
    limit: number;
  }): Promise<DueAlert[]>;
  /** A timeline entry (never a webhook): an on-demand check that changed nothing still shows. */
  recordTimelineEntry(
    alert: { id: number; repoId: number },
    payload: Record<string, unknown>,
    actorId: number | null,
  ): Promise<void>;
}
