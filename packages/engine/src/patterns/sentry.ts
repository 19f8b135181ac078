import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

const provider = "Sentry";

/** Sentry tokens since 2023: a type prefix (`sntryu_`, `sntrya_`, `sntryi_`) + 32 random bytes in hex. */
function hexToken(id: string, name: string, kind: string, pushProtection: boolean, validityCheck: boolean): PatternDefinition {
  const prefix = `sntry${kind}_`;
  return {
    id,
    name,
    provider,
    regex: `${prefix}[a-f0-9]{64}`,
    keywords: [prefix],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection,
    validityCheck,
    examples: {
      positive: [(r) => `SENTRY_AUTH_TOKEN=${prefix}${r.hex(64)}`, (r) => `[auth]\ntoken=${prefix}${r.hex(64)}\n`],
      negative: [
        { text: (r) => `${prefix}${r.hex(40)}`, reason: "too short" },
        { text: (r) => `${prefix}${r.upper(64)}`, reason: "not hexadecimal" },
      ],
    },
  };
}

/**
 * An organization token is `sntrys_` + base64 of a JSON payload (issued-at, URLs, org slug) + `_` +
 * 32 random bytes in unpadded base64.
 */
export function isSentryOrgToken(secret: string): boolean {
  const parts = secret.split("_");
  if (parts.length !== 3 || parts[0] !== "sntrys") return false;
  const [, payload = "", key = ""] = parts;
  if (Buffer.from(key, "base64").length !== 32) return false;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
    return typeof claims === "object" && claims !== null && "iat" in claims && "org" in claims;
  } catch {
    return false;
  }
}

function orgToken(random: ExampleRandom): string {
  const payload = { iat: Number(`17${random.digits(8)}`), url: "https://sentry.io", region_url: "https://us.sentry.io", org: `acme-${random.lower(6)}` };
  const encoded = Buffer.from(JSON.stringify(payload)).toString("base64");
  return `sntrys_${encoded}_${random.base64(42)}A`;
}

export const sentryPatterns: PatternDefinition[] = [
  hexToken("sentry_integration_token", "Sentry Integration Token", "i", true, false),
  {
    id: "sentry_organization_token",
    name: "Sentry Organization Token",
    provider,
    regex: "sntrys_eyJ[A-Za-z0-9+/]{10,1000}={0,2}_[A-Za-z0-9+/]{43}",
    after: "\\z|[^A-Za-z0-9+/=_]",
    keywords: ["sntrys_"],
    validate: isSentryOrgToken,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `SENTRY_AUTH_TOKEN=${orgToken(r)}`, (r) => `sentry-cli --auth-token '${orgToken(r)}' releases list`],
      negative: [
        { text: (r) => `sntrys_eyJ${r.base64(60)}_${r.base64(43)}`, reason: "the payload does not decode to Sentry's JSON claims" },
        { text: (r) => `sntrys_${r.alnum(20)}`, reason: "no payload and secret parts" },
      ],
    },
  },
  hexToken("sentry_personal_token", "Sentry Personal Token", "u", true, true),
  hexToken("sentry_user_app_auth_token", "Sentry User App Auth Token", "a", true, false),
];
