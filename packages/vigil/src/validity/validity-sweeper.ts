import { validityChecks } from "vigil-secrets-engine";
import type { InProcessRunner } from "../jobs/in-process-runner.js";
import { checkAlertValidity, type AlertValidityDeps } from "./check-alert-validity.js";

export interface ValiditySweeperOptions extends AlertValidityDeps {
  runner: InProcessRunner;
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
  // Running jobs leave the runner's queue (and its coalescing) but are not recorded yet: not queued twice.
  const inFlight = new Set<string>();

  const sweepOnce = async (): Promise<number> => {
    const now = (options.now ?? (() => new Date()))().getTime();
    const due = await options.validity.listDue({
      secretTypes: types,
      checkedBefore: new Date(now - recheckAfterMs).toISOString(),
      unknownCheckedBefore: new Date(now - retryUnknownAfterMs).toISOString(),
      limit: batchSize,
    });
    let queued = 0;
    for (const alert of due) {
      const key = `validity:${alert.repoId}:${alert.number}`;
      if (inFlight.has(key)) continue;
      const accepted = options.runner.enqueue({
        key,
        run: async (signal) => {
          try {
            await checkAlertValidity(
              options,
              alert.repoId,
              alert.number,
              alert.neverChecked ? "on_creation" : "periodic",
              null,
              signal,
            );
          } finally {
            inFlight.delete(key);
          }
        },
      });
      if (accepted) {
        inFlight.add(key);
        queued++;
      }
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
