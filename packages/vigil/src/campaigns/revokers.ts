import { VIGIL_VERSION } from "../version.js";

/** What an issuer answered a revocation with. */
export interface RevokeOutcome {
  /** The secret no longer works: revoked now, or the issuer says it already was invalid. */
  revoked: boolean;
  /** One line for the timeline (never the secret). */
  detail: string;
}

export interface Revoker {
  /** The issuer, for the timeline (`github`, `slack`, `npm`, `vigil`). */
  issuer: string;
  secretTypes: readonly string[];
  revoke(secret: string): Promise<RevokeOutcome>;
}

/** Issuer API roots; defaults are the public services. An operator points them elsewhere (GitHub Enterprise Server), never an API caller. */
export interface IssuerUrls {
  /** `POST {github}/credentials/revoke` (default https://api.github.com). */
  github?: string;
  /** `POST {slack}/auth.revoke` (default https://slack.com/api). */
  slack?: string;
  /** `DELETE {npm}/-/npm/v1/tokens/token/{token}` (default https://registry.npmjs.org). */
  npm?: string;
}

/** The issuer roots an operator set for `vigil serve` and `vigil worker` (`VIGIL_REVOKE_*_URL`). */
export function issuerUrlsFromEnv(env: NodeJS.ProcessEnv): IssuerUrls {
  return {
    ...(env.VIGIL_REVOKE_GITHUB_URL ? { github: env.VIGIL_REVOKE_GITHUB_URL } : {}),
    ...(env.VIGIL_REVOKE_SLACK_URL ? { slack: env.VIGIL_REVOKE_SLACK_URL } : {}),
    ...(env.VIGIL_REVOKE_NPM_URL ? { npm: env.VIGIL_REVOKE_NPM_URL } : {}),
  };
}

export interface RevokerOptions {
  urls?: IssuerUrls;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Vigil's own tokens: revoke by value; false when no such token exists. */
  revokeVigilToken?: (token: string) => Promise<boolean>;
}

/**
 * The revocation actions Vigil has, per secret type, each through the issuer's documented API:
 * GitHub's credential-revocation endpoint (classic and fine-grained personal access tokens, OAuth
 * and GitHub App user tokens: it needs no authentication), Slack's `auth.revoke` (authenticated by
 * the token itself), npm's token deletion (likewise) and Vigil's own tokens. The secret goes only to
 * its own issuer.
 */
export function createRevokers(options: RevokerOptions = {}): Map<string, Revoker> {
  const doFetch = options.fetch ?? fetch;
  const timeout = (): AbortSignal => AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const base = (url: string | undefined, fallback: string): string => (url ?? fallback).replace(/\/+$/, "");
  const headers = { "User-Agent": `Vigil/${VIGIL_VERSION}` };
  const failed = (issuer: string, error: unknown): RevokeOutcome => ({
    revoked: false,
    detail: `${issuer} did not answer: ${(error as Error).name === "TimeoutError" ? "timed out" : (error as Error).message}`,
  });

  const revokers: Revoker[] = [
    {
      issuer: "github",
      secretTypes: ["github_personal_access_token", "github_oauth_access_token"],
      async revoke(secret) {
        try {
          const res = await doFetch(`${base(options.urls?.github, "https://api.github.com")}/credentials/revoke`, {
            method: "POST",
            headers: {
              ...headers,
              Accept: "application/vnd.github+json",
              "X-GitHub-Api-Version": "2022-11-28",
              "Content-Type": "application/json",
            },
            body: JSON.stringify({ credentials: [secret] }),
            redirect: "error",
            signal: timeout(),
          });
          await res.body?.cancel();
          // GitHub answers 202: the credential is revoked (and its owner notified) asynchronously.
          return res.status === 202 || res.ok
            ? { revoked: true, detail: `GitHub accepted the revocation (${res.status})` }
            : { revoked: false, detail: `GitHub refused the revocation: ${res.status}` };
        } catch (error) {
          return failed("GitHub", error);
        }
      },
    },
    {
      issuer: "slack",
      secretTypes: ["slack_api_token"],
      async revoke(secret) {
        try {
          const res = await doFetch(`${base(options.urls?.slack, "https://slack.com/api")}/auth.revoke`, {
            method: "POST",
            headers: {
              ...headers,
              Authorization: `Bearer ${secret}`,
              "Content-Type": "application/x-www-form-urlencoded",
            },
            body: "",
            redirect: "error",
            signal: timeout(),
          });
          const body = (await res.json().catch(() => null)) as {
            ok?: boolean;
            revoked?: boolean;
            error?: string;
          } | null;
          if (body?.ok && body.revoked) return { revoked: true, detail: "Slack revoked the token (auth.revoke)" };
          // Slack's errors for a token that no longer works: nothing left to revoke.
          if (
            body?.error &&
            ["invalid_auth", "token_revoked", "account_inactive", "token_expired", "not_authed"].includes(body.error)
          )
            return { revoked: true, detail: `the token was already invalid (Slack: ${body.error})` };
          return { revoked: false, detail: `Slack refused the revocation: ${body?.error ?? res.status}` };
        } catch (error) {
          return failed("Slack", error);
        }
      },
    },
    {
      issuer: "npm",
      secretTypes: ["npm_access_token"],
      async revoke(secret) {
        try {
          const res = await doFetch(
            `${base(options.urls?.npm, "https://registry.npmjs.org")}/-/npm/v1/tokens/token/${encodeURIComponent(secret)}`,
            {
              method: "DELETE",
              headers: { ...headers, Authorization: `Bearer ${secret}`, Accept: "application/json" },
              redirect: "error",
              signal: timeout(),
            },
          );
          await res.body?.cancel();
          if (res.ok) return { revoked: true, detail: `npm deleted the token (${res.status})` };
          if (res.status === 401) return { revoked: true, detail: "the token was already invalid (npm: 401)" };
          return { revoked: false, detail: `npm refused the deletion: ${res.status}` };
        } catch (error) {
          return failed("npm", error);
        }
      },
    },
  ];
  if (options.revokeVigilToken) {
    const revokeVigilToken = options.revokeVigilToken;
    revokers.push({
      issuer: "vigil",
      secretTypes: ["vigil_api_token"],
      async revoke(secret) {
        return (await revokeVigilToken(secret))
          ? { revoked: true, detail: "Vigil revoked its token" }
          : { revoked: false, detail: "no such Vigil token" };
      },
    });
  }
  const byType = new Map<string, Revoker>();
  for (const revoker of revokers) for (const type of revoker.secretTypes) byType.set(type, revoker);
  return byType;
}
