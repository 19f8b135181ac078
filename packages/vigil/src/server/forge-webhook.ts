import { createHmac, timingSafeEqual } from "node:crypto";
import type { Matcher } from "vigil-secrets-engine";
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AlertStore } from "../alerts/alert-store.js";
import type { Repository } from "../alerts/types.js";
import { recordContent } from "../content/content-scanner.js";
import { forgeOf, parseDelivery, type Forge } from "../content/forge-adapters.js";
import { ForgePayloadError, type ForgeDelivery } from "../content/forge-events.js";

/** Deliveries over this size are refused (413); GitHub's own cap is 25 MB, a comment is at most 64 KB. */
export const FORGE_WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

export interface ForgeWebhookOptions {
  store: AlertStore;
  /** The secret the forge signs deliveries with (`--forge-webhook-secret`, `VIGIL_FORGE_WEBHOOK_SECRET`). */
  secret: string;
  /** The matcher content is scanned with: the same engine and catalog as code. */
  matcher: () => Matcher;
  /** Scans and records a delivery's content (default `recordContent`; the server's counts it in its metrics). */
  recordContent?: typeof recordContent;
  /** A gollum delivery: the repository's wiki changed (scanned as git history). */
  onWikiChanged?: (repo: Repository, webUrl: string | undefined) => void;
  log?: {
    info(fields: Record<string, unknown>, message: string): void;
    warn(fields: Record<string, unknown>, message: string): void;
  };
}

/**
 * Is the delivery the forge's? GitHub (and Gitea): `X-Hub-Signature-256`; Gitea before 1.20:
 * `X-Gitea-Signature` (the bare hex HMAC); GitLab: `X-Gitlab-Token`, the secret itself. All compared in constant time.
 */
export function verifyDelivery(
  forge: Forge,
  secret: string,
  body: Uint8Array,
  header: (name: string) => string | undefined,
): boolean {
  if (forge === "gitlab") {
    const token = header("x-gitlab-token");
    if (token === undefined) return false;
    // Equal-length digests, so that the comparison takes the same time whatever the token's length.
    const a = createHmac("sha256", "vigil").update(token).digest();
    const b = createHmac("sha256", "vigil").update(secret).digest();
    return timingSafeEqual(a, b);
  }
  const hub = header("x-hub-signature-256");
  if (hub !== undefined || forge === "github") return verifyHubSignature(secret, body, hub);
  const gitea = header("x-gitea-signature");
  return gitea !== undefined && verifyHubSignature(secret, body, `sha256=${gitea}`);
}

/** `sha256=<hex HMAC-SHA256(secret, raw body)>`, compared in constant time. */
export function verifyHubSignature(secret: string, body: Uint8Array, header: string | undefined): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(header.slice(7), "hex"));
}

/**
 * `POST /webhooks/forge`: a forge's webhook deliveries (GitHub-compatible payloads), outside the
 * API's token authentication: every delivery must carry a valid `X-Hub-Signature-256`. Content is
 * scanned and recorded before the answer, so a secret is an alert when the forge gets its 200.
 * Answers: 200 scanned; 202 acknowledged without content (ping, other events) or for a repository
 * Vigil does not know (so that the forge does not log failures for repositories nobody registered);
 * 400 malformed; 401 bad signature; 413 too large; 415 unknown content type.
 */
export function mountForgeWebhook(app: Hono, options: ForgeWebhookOptions): void {
  const fail = (status: 400 | 401 | 413 | 415, message: string): Response => Response.json({ message }, { status });
  app.post(
    "/webhooks/forge",
    bodyLimit({
      maxSize: FORGE_WEBHOOK_BODY_LIMIT,
      onError: () => fail(413, `the delivery is larger than ${FORGE_WEBHOOK_BODY_LIMIT} bytes`),
    }),
    async (c) => {
      const raw = new Uint8Array(await c.req.arrayBuffer());
      const header = (name: string): string | undefined => c.req.header(name);
      const source = forgeOf(header);
      if (!verifyDelivery(source?.forge ?? "github", options.secret, raw, header)) {
        options.log?.warn(
          { delivery: c.req.header("x-github-delivery") ?? null },
          "forge webhook: bad or missing signature",
        );
        return fail(
          401,
          source?.forge === "gitlab"
            ? "the X-Gitlab-Token header is missing or is not the forge webhook secret"
            : "the X-Hub-Signature-256 header is missing or does not match the body under the forge webhook secret",
        );
      }
      if (!source) return fail(400, "no event header: send X-GitHub-Event, X-Gitea-Event or X-Gitlab-Event");
      const { forge, event } = source;
      let body: unknown;
      try {
        body = parseBody(raw, c.req.header("content-type"));
      } catch (error) {
        if (error instanceof UnsupportedMediaType) return fail(415, error.message);
        return fail(400, `the body is not valid JSON: ${(error as Error).message}`);
      }
      if (event === "ping" || event === "System Hook") return c.json({ message: "pong" }, 200);
      let delivery: ForgeDelivery;
      try {
        delivery = parseDelivery(forge, event, body);
      } catch (error) {
        if (error instanceof ForgePayloadError) return fail(400, `the ${event} payload is not valid: ${error.message}`);
        throw error;
      }
      const [owner = "", name = ""] = delivery.repositoryFullName.split("/");
      const repo = await options.store.getRepository(owner, name);
      if (!repo || !repo.secretScanningEnabled) {
        return c.json({ message: `ignored: ${delivery.repositoryFullName} is not a repository Vigil scans` }, 202);
      }
      if (delivery.wikiChanged) {
        options.onWikiChanged?.(repo, delivery.repositoryHtmlUrl);
        return c.json({ message: "the wiki is scanned in the background" }, 202);
      }
      if (delivery.items.length === 0) return c.json({ message: "acknowledged: no content to scan" }, 202);
      const result = await (options.recordContent ?? recordContent)(options.store, options.matcher(), repo, delivery.items);
      options.log?.info(
        { repo: repo.fullName, forge, event, findings: result.findings, created: result.created.length },
        "forge content scanned",
      );
      return c.json(
        {
          message: "scanned",
          findings: result.findings,
          alerts_created: result.created.map((a) => a.number),
          alerts_updated: result.updated.map((a) => a.number),
          locations_added: result.locationsAdded,
        },
        200,
      );
    },
  );
}

class UnsupportedMediaType extends Error {}

/** JSON, or GitHub's form encoding (`payload=<url-encoded JSON>`). */
function parseBody(raw: Uint8Array, contentType: string | undefined): unknown {
  const type = (contentType ?? "application/json").split(";")[0]!.trim().toLowerCase();
  const text = Buffer.from(raw).toString("utf8");
  if (type === "application/json") return JSON.parse(text);
  if (type === "application/x-www-form-urlencoded") {
    const payload = new URLSearchParams(text).get("payload");
    if (payload === null) throw new Error("the form has no payload field");
    return JSON.parse(payload);
  }
  throw new UnsupportedMediaType(
    `content type ${type} is not supported: send application/json or application/x-www-form-urlencoded`,
  );
}
