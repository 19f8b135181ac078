import type { AlertStore } from "../alerts/alert-store.js";
import { remediateAlert, type AutoRemediationDeps } from "./auto-remediate.js";

export interface AutoRemediatorOptions extends AutoRemediationDeps {
  log?: { info(fields: Record<string, unknown>, message: string): void; warn(fields: Record<string, unknown>, message: string): void };
  /** First wait before retrying an alert whose revocation failed (doubles each time, up to a day). */
  retryAfterMs?: number;
  now?: () => number;
}

export interface AutoRemediator {
  /** Revokes every open alert of the types owners enabled, in every organization; returns how many were revoked. */
  sweep(signal?: AbortSignal): Promise<number>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The background side of auto-remediation: what an owner enabled happens without anyone asking,
 * for alerts found later too. A failed revocation is retried with a doubling wait (kept in memory:
 * a restart retries at once), so an issuer that is down is not asked on every sweep.
 */
export function createAutoRemediator(options: AutoRemediatorOptions): AutoRemediator {
  const { store, campaigns } = options;
  const now = options.now ?? Date.now;
  const failures = new Map<number, { until: number; waitMs: number }>();

  return {
    async sweep(signal) {
      let revoked = 0;
      for (const org of await store.listOrganizations()) {
        const types = (await campaigns.listAutoRemediation(org.id)).filter((s) => s.enabled && options.revokers.has(s.secretType)).map((s) => s.secretType);
        if (types.length === 0) continue;
        const repoIds = (await store.listRepositories({ orgId: org.id })).map((r) => r.id);
        if (repoIds.length === 0) continue;
        let after: string | undefined;
        for (;;) {
          signal?.throwIfAborted();
          const page = await listOpen(store, repoIds, types, after);
          for (const alert of page.alerts) {
            const failed = failures.get(alert.id);
            if (failed && failed.until > now()) continue;
            const result = await remediateAlert(options, org.id, alert, null);
            if (result.outcome === "revoked") {
              revoked++;
              failures.delete(alert.id);
              options.log?.info({ repo: alert.repoId, alert: alert.number, secretType: alert.secretType }, "secret revoked automatically");
            } else if (result.outcome === "failed") {
              const waitMs = Math.min(DAY_MS, failed ? failed.waitMs * 2 : (options.retryAfterMs ?? 60_000));
              failures.set(alert.id, { until: now() + waitMs, waitMs });
              options.log?.warn({ repo: alert.repoId, alert: alert.number, secretType: alert.secretType, detail: result.detail }, "automatic revocation failed");
            }
          }
          if (!page.hasNext || !page.endCursor) break;
          after = page.endCursor;
        }
      }
      return revoked;
    },
  };
}

function listOpen(store: AlertStore, repoIds: number[], secretTypes: string[], after: string | undefined) {
  return store.listAlerts({ repoIds, state: "open", secretTypes, sort: "created", direction: "asc", perPage: 100, ...(after !== undefined ? { after } : {}) });
}
