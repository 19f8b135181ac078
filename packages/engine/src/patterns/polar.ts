import { crc32, encodeBase62 } from "../checksum/index.js";
import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

const provider = "Polar";

/**
 * Polar tokens are a type prefix + 37 random base62 characters + a 6-character
 * base62 CRC32 of those 37 (polar `kit/crypto.py`). Older tokens predate the
 * checksum and are URL-safe base64; those are accepted only when they contain
 * a character the checksummed alphabet lacks.
 */
export function hasValidPolarChecksum(secret: string): boolean {
  const body = secret.slice(-43);
  if (/[-_]/.test(body)) return true;
  return encodeBase62(crc32(body.slice(0, 37)), 6) === body.slice(37);
}

export function synthesisePolarToken(prefix: string, random: ExampleRandom): string {
  const body = random.alnum(37);
  return `${prefix}${body}${encodeBase62(crc32(body), 6)}`;
}

function polar(
  id: string,
  name: string,
  prefixes: string[],
  options: { pushProtection: boolean; validityCheck?: boolean; context: string },
): PatternDefinition {
  const [first = ""] = prefixes;
  return {
    id,
    name,
    provider,
    regex: `(?:${prefixes.join("|")})[A-Za-z0-9_-]{43}`,
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: prefixes,
    validate: hasValidPolarChecksum,
    validation: { kind: "checksum", check: "Polar's base62 CRC32 checksum (the last 6 characters)" },
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: options.pushProtection,
    validityCheck: options.validityCheck ?? false,
    examples: {
      positive: prefixes.map((prefix) => (r: ExampleRandom) => `${options.context}=${synthesisePolarToken(prefix, r)}`),
      negative: [
        { text: (r) => `${first}${r.alnum(43)}`, reason: "random tail: the CRC32 checksum does not match" },
        { text: (r) => `${first}${r.alnum(20)}`, reason: "too short" },
      ],
    },
  };
}

export const polarPatterns: PatternDefinition[] = [
  // OAuth2 access tokens (per user or organization, and the older unscoped form) and organization access tokens.
  polar("polar_access_token", "Polar Access Token", ["polar_at_u_", "polar_at_o_", "polar_at_", "polar_oat_"], {
    pushProtection: true,
    validityCheck: true,
    context: "POLAR_ACCESS_TOKEN",
  }),
  polar("polar_authorization_code", "Polar Authorization Code", ["polar_ac_"], {
    pushProtection: true,
    context: "code",
  }),
  polar("polar_client_registration_token", "Polar Client Registration Token", ["polar_crt_"], {
    pushProtection: true,
    context: "POLAR_REGISTRATION_ACCESS_TOKEN",
  }),
  polar("polar_client_secret", "Polar Client Secret", ["polar_cs_"], {
    pushProtection: true,
    context: "POLAR_CLIENT_SECRET",
  }),
  polar("polar_customer_session_token", "Polar Customer Session Token", ["polar_cst_"], {
    pushProtection: true,
    context: "customer_session_token",
  }),
  polar("polar_personal_access_token", "Polar Personal Access Token", ["polar_pat_"], {
    pushProtection: true,
    context: "POLAR_TOKEN",
  }),
  polar("polar_refresh_token", "Polar Refresh Token", ["polar_rt_u_", "polar_rt_o_", "polar_rt_"], {
    pushProtection: true,
    context: "refresh_token",
  }),
  polar("polar_user_session_token", "Polar User Session Token", ["polar_us_"], {
    pushProtection: true,
    context: "polar_session",
  }),
];
