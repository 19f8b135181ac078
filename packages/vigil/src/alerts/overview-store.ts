import type { Validity } from "./types.js";

/** Security overview figures over a set of repositories (the alerts a user may see). */
export interface AlertOverview {
  open: number;
  closed: number;
  /** One entry per UTC day with alerts detected or closed, oldest first (`YYYY-MM-DD`); days before `since` are not listed. */
  days: { day: string; created: number; resolved: number }[];
  /** Alerts detected, and closed, before `since`: the base of "open alerts over time". */
  createdBefore: number;
  resolvedBefore: number;
  /** Mean of closed alerts' time from detection to closing, in seconds; null when none is closed. */
  meanSecondsToRemediate: number | null;
  /** Most alerts first. */
  byType: { secretType: string; displayName: string; open: number; total: number }[];
  byRepository: { repoId: number; open: number; total: number }[];
  /** Open alerts by validity. */
  byValidity: { validity: Validity; open: number }[];
}

/** The security overview's aggregate queries, over the same database as the alerts. */
export interface OverviewStore {
  alertOverview(filter: { repoIds: readonly number[]; since: string }): Promise<AlertOverview>;
}
