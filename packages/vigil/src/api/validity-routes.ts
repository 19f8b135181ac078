import type { Context, Hono } from "hono";
import type { AlertStore } from "../alerts/alert-store.js";
import type { Alert, Repository } from "../alerts/types.js";
import type { AlertValidityResult } from "../validity/check-alert-validity.js";
import type { ValidityCheckRecord, ValidityStore } from "../validity/validity-store.js";
import type { ApiEnv } from "./api-env.js";
import { ApiError, notFound } from "./api-error.js";
import { requireScopes } from "./authenticate.js";
import { resolveAlertRepository } from "./repo-access.js";

const ALERT_SCOPES = ["repo", "security_events"] as const;
const FIELD = "secret_scanning_validity_checks_enabled";

export interface ValidityApi {
  store: ValidityStore;
  /** Whether a secret type has a check. */
  supports(secretType: string): boolean;
  /** Checks now (on demand); the server's checker with its limits and budget. */
  checkNow(repo: Repository, alert: Alert, actorId: number): Promise<AlertValidityResult | null>;
}

/** `secret_scanning_validity_checks_enabled` in a `PATCH /orgs/{org}` body; 422 when not a boolean. Validated before anything is written. */
export function parseOrgValiditySetting(body: Record<string, unknown>): boolean | undefined {
  if (!(FIELD in body)) return undefined;
  if (typeof body[FIELD] !== "boolean") {
    throw new ApiError(422, `Invalid ${FIELD}: must be true or false`, [
      { resource: "Organization", field: FIELD, code: "invalid" },
    ]);
  }
  return body[FIELD];
}

/** Saves the setting when given and returns the organization's field for the response. */
export async function saveOrgValiditySetting(
  store: ValidityStore,
  orgId: number,
  enabled: boolean | undefined,
): Promise<Record<string, boolean>> {
  if (enabled !== undefined) await store.setEnabled(orgId, enabled);
  return { [FIELD]: enabled ?? (await store.isEnabled(orgId)) };
}

function formatCheck(
  alert: Alert,
  check: ValidityCheckRecord | null,
  enabled: boolean,
  supported: boolean,
): Record<string, unknown> {
  return {
    number: alert.number,
    secret_type: alert.secretType,
    validity: alert.validity,
    validity_checks_enabled: enabled,
    check_supported: supported,
    last_check: check
      ? {
          checked_at: check.checkedAt.replace(/\.\d{3}Z$/, "Z"),
          result: check.result,
          detail: check.detail,
          source: check.source,
        }
      : null,
  };
}

/**
 * Vigil's extension (GitHub has no REST route for it; its "Verify secret" button is UI only):
 * `POST …/alerts/{n}/validity` checks the secret with its issuer now; `GET` reads the last check.
 */
export function mountValidityRoutes(app: Hono<ApiEnv>, store: AlertStore, validity: ValidityApi): void {
  const path = "/repos/:owner/:repo/secret-scanning/alerts/:number/validity";

  async function alertOf(c: Context<ApiEnv>): Promise<{ repo: Repository; alert: Alert }> {
    const { repo } = await resolveAlertRepository(
      store,
      c.get("user"),
      c.req.param("owner") ?? "",
      c.req.param("repo") ?? "",
    );
    requireScopes(c, ALERT_SCOPES);
    const raw = c.req.param("number") ?? "";
    if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw notFound();
    const alert = await store.getAlert(repo.id, Number(raw));
    if (!alert) throw notFound();
    return { repo, alert };
  }

  app.get(path, async (c) => {
    const { repo, alert } = await alertOf(c);
    const enabled = await validity.store.isEnabled(repo.orgId);
    return c.json(
      formatCheck(alert, await validity.store.getCheck(alert.id), enabled, validity.supports(alert.secretType)),
    );
  });

  app.post(path, async (c) => {
    const { repo, alert } = await alertOf(c);
    if (!(await validity.store.isEnabled(repo.orgId))) {
      throw new ApiError(
        422,
        'Validity checks are not enabled for this organization: an owner enables them with PATCH /orgs/{org} {"secret_scanning_validity_checks_enabled": true}',
        [{ resource: "Organization", field: FIELD, code: "invalid" }],
      );
    }
    if (!validity.supports(alert.secretType)) {
      throw new ApiError(422, `No validity check exists for secret type ${alert.secretType}`, [
        { resource: "SecretScanningAlert", field: "secret_type", code: "invalid" },
      ]);
    }
    const result = await validity.checkNow(repo, alert, c.get("user").id);
    if (!result) throw notFound();
    return c.json(formatCheck(result.alert, result.check, true, true));
  });
}
