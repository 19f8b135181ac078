/**
 * Jobs are data: a kind (a name) and a JSON payload of ids, never closures and never secrets, so any
 * process that registered the kind can run a job another process queued. A kind says how its jobs
 * run and what happens when they fail: attempts with exponential backoff, then the dead-letter state.
 */
export type JobPayload = Record<string, unknown>;

export interface JobContext {
  /** Aborted at the timeout, at shutdown (the job is handed back) and when the job's lease was lost. */
  signal: AbortSignal;
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
}

export interface JobKind<P extends JobPayload = JobPayload> {
  name: string;
  /** Must be idempotent: a job may run twice (a worker killed after the work, before recording it done). */
  run(payload: P, context: JobContext): Promise<void>;
  /** Runs before the job is dead (default 5). */
  attempts?: number;
  /** First retry delay; doubles at each attempt (default 1 s). */
  backoffMs?: number;
  /** The run is aborted and counts as failed after this long (default 30 min). */
  timeoutMs?: number;
  /** Lower runs first (0..20, default 10): a push's incremental scan (2) goes before a backfill (8). */
  priority?: number;
  /** Jobs of this kind one worker runs at once (default: the worker's concurrency). */
  concurrency?: number;
}

/** The job kinds Vigil defines (docs/operations.md lists each one's retry policy, timeout, priority and key). */
export const JOB_KINDS = {
  mirrorFetch: "mirror-fetch",
  historyScan: "history-scan",
  incrementalScan: "incremental-scan",
  contentBackfill: "content-backfill",
  wikiScan: "wiki-scan",
  webhookDelivery: "webhook-delivery",
  partnerReport: "partner-report",
  validityCheck: "validity-check",
  customPatternDryRun: "custom-pattern-dry-run",
  customPatternBackfill: "custom-pattern-backfill",
  customPatternEdit: "custom-pattern-edit",
  autoRemediation: "auto-remediation",
} as const;

export const JOB_DEFAULTS = { attempts: 5, backoffMs: 1000, timeoutMs: 30 * 60_000, priority: 10 } as const;

export const MAX_JOB_PRIORITY = 20;

/** The kinds a process can run. Registering one is one line: `kinds.register({ name, run })`. */
export interface JobKinds {
  register<P extends JobPayload>(kind: JobKind<P>): void;
  get(name: string): JobKind | undefined;
  names(): string[];
}

/** A kind's retry policy and timeout, as an operator (or a test) overrides them per kind name. */
export type JobPolicy = Partial<Pick<JobKind, "attempts" | "backoffMs" | "timeoutMs" | "priority" | "concurrency">>;

export function createJobKinds(initial: JobKind[] = [], policies: Record<string, JobPolicy> = {}): JobKinds {
  const kinds = new Map<string, JobKind>();
  const registry: JobKinds = {
    register(registered) {
      const kind = { ...registered, ...policies[registered.name] } as typeof registered;
      if (!/^[a-z][a-z0-9-]{0,63}$/.test(kind.name)) throw new Error(`invalid job kind name "${kind.name}": lowercase letters, digits and dashes`);
      if (kinds.has(kind.name)) throw new Error(`job kind "${kind.name}" is registered twice`);
      const priority = kind.priority ?? JOB_DEFAULTS.priority;
      if (!Number.isInteger(priority) || priority < 0 || priority > MAX_JOB_PRIORITY) throw new Error(`job kind "${kind.name}": priority must be 0..${MAX_JOB_PRIORITY}`);
      kinds.set(kind.name, kind);
    },
    get: (name) => kinds.get(name),
    names: () => [...kinds.keys()],
  };
  for (const kind of initial) registry.register(kind);
  return registry;
}

/** Delay before attempt `attempt + 1`, after `attempt` failed runs: backoff, 2x, 4x, … capped at one hour. */
export function retryDelayMs(backoffMs: number, attempt: number): number {
  return Math.min(backoffMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
}
