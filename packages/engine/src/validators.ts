import type { PatternValidation } from "./pattern.js";
import { hasSecretCredentials } from "./patterns/connection-string.js";

/**
 * Checks a rule document names in `validate`: code where a rule needs code (structure a regex cannot
 * check), referenced by name from the data. Each returns false to reject a match.
 */
export const namedValidators: Readonly<Record<string, (secret: string) => boolean>> = {
  /** `scheme://user:password@host`: a password that is no example, placeholder or default. */
  "uri-credentials": hasSecretCredentials,
  /** Base64 of `user:password` (HTTP Basic, Docker's `auths`), with a password that is no example. */
  "basic-auth-base64": (secret) => {
    const decoded = Buffer.from(secret, "base64").toString("utf8");
    const m = /^([\x21-\x7e][\x20-\x7e]*):([\x21-\x7e]{4,})$/.exec(decoded);
    return m !== null && m[1] !== m[2] && !/^(?:passw(?:or)?d|secret|example|changeme|\$\{?\w+\}?)$/i.test(m[2]!);
  },
  /** A JSON web token whose header decodes to JSON naming a signing algorithm (not `none`). */
  jwt: (secret) => {
    const [header, payload] = secret.split(".");
    try {
      const h = JSON.parse(Buffer.from(header ?? "", "base64url").toString("utf8")) as unknown;
      const p = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as unknown;
      if (typeof h !== "object" || h === null || typeof p !== "object" || p === null) return false;
      const alg = (h as Record<string, unknown>)["alg"];
      const claims = p as Record<string, unknown>;
      // jwt.io's example (John Doe, subject 1234567890), which documentation and tests copy.
      if (claims["sub"] === "1234567890" || claims["name"] === "John Doe") return false;
      // A token a service issued names its issuer, subject, audience or lifetime; `{"some": "payload"}` is a library's example.
      if (!["iss", "sub", "aud", "exp", "iat", "nbf", "jti"].some((claim) => claim in claims)) return false;
      return typeof alg === "string" && /^(?:HS|RS|ES|PS)(?:256|384|512)$|^EdDSA$/.test(alg);
    } catch {
      return false;
    }
  },
};

/** What each named check verifies, for `vigil scan --explain`. */
export const namedValidations: Readonly<Record<string, PatternValidation>> = {
  "uri-credentials": {
    kind: "structure",
    check: "the URI check (a password that is no example, placeholder or default)",
  },
  "basic-auth-base64": {
    kind: "structure",
    check: "the Basic credentials check (base64 of user:password, with a password that is no example)",
  },
  jwt: {
    kind: "structure",
    check:
      "the JSON web token check (a header naming a signing algorithm, claims a service issues, not jwt.io's example)",
  },
};
