import type { AlertStore } from "../alerts/alert-store.js";
import type { Alert } from "../alerts/types.js";
import type { CampaignStore } from "./campaign-store.js";
import type { Revoker } from "./revokers.js";

export type RemediationOutcome = "revoked" | "failed" | "not_enabled" | "no_action" | "not_open";

export interface AutoRemediationDeps {
  store: AlertStore;
  campaigns: CampaignStore;
  revokers: Map<string, Revoker>;
}

/**
 * Revokes an open alert's secret through its issuer, when the organization's owner enabled it for
 * the type: the attempt is an `auto_remediation` event in the timeline (succeeded or not) and a
 * success closes the alert as `revoked`.
 */
export async function remediateAlert(
  deps: AutoRemediationDeps,
  orgId: number,
  alert: Alert,
  actorId: number | null,
): Promise<{ outcome: RemediationOutcome; detail: string; alert: Alert }> {
  if (alert.state !== "open") return { outcome: "not_open", detail: "the alert is already closed", alert };
  const revoker = deps.revokers.get(alert.secretType);
  if (!revoker) return { outcome: "no_action", detail: `Vigil has no revocation action for ${alert.secretType}`, alert };
  const enabled = (await deps.campaigns.listAutoRemediation(orgId)).some((s) => s.secretType === alert.secretType && s.enabled);
  if (!enabled) return { outcome: "not_enabled", detail: `auto-remediation is not enabled for ${alert.secretType} in this organization`, alert };
  const result = await revoker.revoke(alert.secret);
  await deps.campaigns.recordAlertEvent(alert, "auto_remediation", actorId, { issuer: revoker.issuer, revoked: result.revoked, detail: result.detail });
  if (!result.revoked) return { outcome: "failed", detail: result.detail, alert };
  const updated = await deps.store.updateAlert(
    alert.repoId,
    alert.number,
    { state: "resolved", resolution: "revoked", resolutionComment: `Revoked automatically through ${revoker.issuer}: ${result.detail}` },
    actorId,
  );
  return { outcome: "revoked", detail: result.detail, alert: updated };
}
