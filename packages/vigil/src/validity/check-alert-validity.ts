import type { AlertStore } from "../alerts/alert-store.js";
import type { Alert, Validity } from "../alerts/types.js";
import type { ValidityChecker } from "./validity-checker.js";
import type { ValidityCheckRecord, ValidityCheckSource, ValidityStore } from "./validity-store.js";

export interface AlertValidityDeps {
  alerts: AlertStore;
  validity: ValidityStore;
  checker: ValidityChecker;
  log?: { info(fields: Record<string, unknown>, message: string): void };
  now?: () => Date;
}

export interface AlertValidityResult {
  alert: Alert;
  check: ValidityCheckRecord;
  changed: boolean;
  /** The issuer was asked and gave no answer (down, rate limited, too slow): worth another try soon. */
  transient: boolean;
}

/**
 * Checks one alert's secret with its issuer and records the answer: the alert's `validity` (a change
 * is GitHub's `validated` event, and so its webhook), the time and detail of the check, and for a
 * check on creation or on demand that changed nothing, a timeline entry. An `unknown` answer (an
 * outage, a missing pair) never overwrites a known validity. A plain function of its inputs, so that
 * a job queue can run it as one job kind (`validity:<repo>:<number>`).
 */
export async function checkAlertValidity(
  deps: AlertValidityDeps,
  repoId: number,
  number: number,
  source: ValidityCheckSource,
  actorId: number | null = null,
  signal?: AbortSignal,
): Promise<AlertValidityResult | null> {
  const alert = await deps.alerts.getAlert(repoId, number);
  if (!alert) return null;
  // The pair a scan found with the secret (an AWS key id's secret key): the check signs with it.
  const pair = await deps.alerts.getPairedSecret(alert.id);
  const outcome = await deps.checker.check({
    secretType: alert.secretType,
    secret: alert.secret,
    ...(pair ? { pair: pair.secret } : {}),
    ...(signal ? { signal } : {}),
  });
  const check: ValidityCheckRecord = {
    alertId: alert.id,
    checkedAt: (deps.now ?? (() => new Date()))().toISOString(),
    result: outcome.validity,
    detail: outcome.detail,
    source,
  };
  await deps.validity.recordCheck(check);
  const next: Validity = outcome.validity === "unknown" ? alert.validity : outcome.validity;
  const changed = next !== alert.validity;
  const updated = changed ? await deps.alerts.updateAlert(repoId, number, { validity: next }, actorId) : alert;
  if (!changed && source !== "periodic") {
    await deps.validity.recordTimelineEntry(
      alert,
      { validity: outcome.validity, detail: outcome.detail, source },
      actorId,
    );
  }
  deps.log?.info(
    { repoId, alert: number, secretType: alert.secretType, result: outcome.validity, detail: outcome.detail, source },
    "validity checked",
  );
  return { alert: updated, check, changed, transient: outcome.validity === "unknown" && outcome.asked };
}
