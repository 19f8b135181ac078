import { validityChecks } from "vigil-secrets-engine";
import { JOB_KINDS, type JobKind } from "../jobs/job-kind.js";
import type { JobRunner } from "../jobs/job-runner.js";
import { checkAlertValidity, type AlertValidityDeps } from "./check-alert-validity.js";
import type { ValidityCheckSource } from "./validity-store.js";

/** A `validity-check` job: one alert, why it is checked, and when the sweep found it due. */
export interface ValidityCheckPayload {
  [key: string]: unknown;
  repoId: number;
  number: number;
  source: ValidityCheckSource;
  /** A check recorded at or after this time with a known answer makes the job a no-op (idempotency). */
  dueAt: string;
}

export interface ValiditySweeperOptions extends AlertValidityDeps {
  /** Where the checks are queued (`validity-check` jobs, run by whichever process runs jobs). */
  runner: Pick<JobRunner, "enqueue">;
  /** Open alerts are checked again after this long (default 24 h). */
  recheckAfterMs?: number;
  /** An alert whose last answer was `unknown` (the issuer down, rate limited) is tried again sooner (default 1 h). */
  retryUnknownAfterMs?: number;
  /** Alerts queued per sweep (default 100): the next sweep takes the rest. */
  batchSize?: number;
  warn?: (fields: Record<string, unknown>, message: string) => void;
}

export interface ValiditySweeper {
  /** Queues a check for every due alert once; resolves with how many were queued. */
  sweepOnce(): Promise<number>;
  start(intervalMs: number): void;
  stop(): void;
}

/**
 * The `validity-check` job kind. Retries: an issuer that was asked and gave no answer (5xx, 429,
 * unreachable) fails the job after the `unknown` is recorded, so the queue tries again with backoff
 * and, out of attempts, leaves a dead letter an operator sees. Idempotent: a job whose alert has a
 * known answer recorded since the job was due does nothing.
 */
export function validityCheckKind(deps: AlertValidityDeps, concurrency = 4): JobKind<ValidityCheckPayload> {
  return {
    name: JOB_KINDS.validityCheck,
    priority: 12,
    attempts: 4,
    backoffMs: 30_000,
    timeoutMs: 2 * 60_000,
    concurrency,
    async run({ repoId, number, source, dueAt }, { signal }) {
      const alert = await deps.alerts.getAlert(repoId, number);
      if (!alert || alert.state !== "open") return;
      const last = await deps.validity.getCheck(alert.id);
      if (last && last.result !== "unknown" && last.checkedAt >= dueAt) return;
      const result = await checkAlertValidity(deps, repoId, number, source, null, signal);
      if (result?.transient) throw new Error(`the issuer gave no answer (${result.check.detail}); the check is tried again`);
    },
  };
}

/**
 * Finds alerts due for a check (new ones, whichever process created them, and open ones last checked
 * long ago) in organizations that enabled validity checks, and queues one job per alert.
 */
export function createValiditySweeper(options: ValiditySweeperOptions): ValiditySweeper {
  const types = [...validityChecks().keys()];
  const recheckAfterMs = options.recheckAfterMs ?? 24 * 3600_000;
  const retryUnknownAfterMs = Math.min(options.retryUnknownAfterMs ?? 3600_000, recheckAfterMs);
  const batchSize = options.batchSize ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let sweeping = false;

  const sweepOnce = async (): Promise<number> => {
    const now = (options.now ?? (() => new Date()))();
    const due = await options.validity.listDue({
      secretTypes: types,
      checkedBefore: new Date(now.getTime() - recheckAfterMs).toISOString(),
      unknownCheckedBefore: new Date(now.getTime() - retryUnknownAfterMs).toISOString(),
      limit: batchSize,
    });
    let queued = 0;
    for (const alert of due) {
      // Coalesced by key while queued; a job that runs after another checked the alert does nothing.
      const payload: ValidityCheckPayload = {
        repoId: alert.repoId,
        number: alert.number,
        source: alert.neverChecked ? "on_creation" : "periodic",
        dueAt: now.toISOString(),
      };
      if (await options.runner.enqueue(JOB_KINDS.validityCheck, payload, { key: `validity:${alert.repoId}:${alert.number}`, fairKey: `repo:${alert.repoId}` })) queued++;
    }
    return queued;
  };

  return {
    sweepOnce,
    start(intervalMs) {
      timer = setInterval(() => {
        if (sweeping) return;
        sweeping = true;
        sweepOnce()
          .catch((error: unknown) =>
            options.warn?.({ err: error instanceof Error ? error.message : String(error) }, "validity sweep failed"),
          )
          .finally(() => (sweeping = false));
      }, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
