import type { Context, Hono } from "hono";
import { StoreConflictError } from "../alerts/alert-store.js";
import type { Partner, PartnerStore, SigningKey } from "../partners/partner-store.js";
import type { ApiEnv } from "./api-env.js";
import { ApiError, notFound } from "./api-error.js";
import { readJsonObject, requireScopes } from "./authenticate.js";

/** GitHub's `GET /meta/public_keys/secret_scanning` document. */
export function formatPublicKeys(keys: SigningKey[]): Record<string, unknown> {
  return {
    public_keys: keys.map((k) => ({ key_identifier: k.keyIdentifier, key: k.publicKey, is_current: k.isCurrent })),
  };
}

export function formatPartner(partner: Partner): Record<string, unknown> {
  return {
    id: partner.id,
    name: partner.name,
    url: partner.url,
    secret_types: partner.secretTypes,
    report_all_repositories: partner.reportAll,
    created_at: partner.createdAt,
  };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const SECRET_TYPE = /^[a-z0-9_]{1,100}$/;

/** Checks a partner registration body; 422 naming the field. */
export function parsePartnerInput(body: Record<string, unknown>): {
  name: string;
  url: string;
  secretTypes: string[];
  reportAll: boolean;
} {
  const invalid = (field: string, message: string): never => {
    throw new ApiError(422, `Invalid ${field}: ${message}`, [{ resource: "Partner", field, code: "invalid", message }]);
  };
  const { name, url, secret_types: types, report_all_repositories: all } = body;
  if (typeof name !== "string" || !NAME.test(name)) invalid("name", "letters, digits, '.', '_' and '-', at most 100");
  if (typeof url !== "string" || !isPartnerUrl(url)) invalid("url", "an http(s) URL");
  if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === "string" && SECRET_TYPE.test(t)))
    invalid("secret_types", "a non-empty list of secret_type slugs");
  if (all !== undefined && typeof all !== "boolean") invalid("report_all_repositories", "a boolean");
  return { name: name as string, url: url as string, secretTypes: types as string[], reportAll: all === true };
}

export function isPartnerUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * Vigil's extension for site administrators: the token issuers Vigil reports leaked tokens to.
 * `GET|POST /admin/secret-scanning/partners`, `DELETE /admin/secret-scanning/partners/{name}`,
 * `POST /admin/secret-scanning/partner-keys` (rotate). Others get 404, a token without the
 * `site_admin` scope 403. (`GET /meta/public_keys/secret_scanning` is public, as on GitHub: the
 * server mounts it outside the API's authentication.)
 */
export function mountPartnerRoutes(app: Hono<ApiEnv>, partners: PartnerStore): void {
  const admin = (c: Context<ApiEnv>): void => {
    if (!c.get("user").siteAdmin) throw notFound();
    requireScopes(c, ["site_admin"]);
  };
  app.get("/admin/secret-scanning/partners", async (c) => {
    admin(c);
    return c.json((await partners.listPartners()).map(formatPartner));
  });
  app.post("/admin/secret-scanning/partners", async (c) => {
    admin(c);
    const input = parsePartnerInput(await readJsonObject(c));
    try {
      return c.json(formatPartner(await partners.addPartner(input)), 201);
    } catch (error) {
      if (error instanceof StoreConflictError)
        throw new ApiError(422, `A partner named ${input.name} already exists`, [
          { resource: "Partner", field: "name", code: "already_exists" },
        ]);
      throw error;
    }
  });
  app.delete("/admin/secret-scanning/partners/:name", async (c) => {
    admin(c);
    if (!(await partners.removePartner(c.req.param("name")))) throw notFound();
    return c.body(null, 204);
  });
  app.post("/admin/secret-scanning/partner-keys", async (c) => {
    admin(c);
    await partners.rotateSigningKey();
    return c.json(formatPublicKeys(await partners.listSigningKeys()), 201);
  });
}
