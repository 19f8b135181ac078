import { crc32 } from "../checksum/crc32.js";
import type { PatternDefinition } from "../pattern.js";

const provider = "Cloudflare";

/** Scannable credentials: prefix, 40 alphanumerics, then the CRC32 of those 40 as 8 lower-case hex digits. */
export function hasCloudflareChecksum(secret: string): boolean {
  const start = secret.indexOf("_") + 1;
  const body = secret.slice(start, start + 40);
  return crc32(body).toString(16).padStart(8, "0") === secret.slice(start + 40);
}

const token = (prefix: string, alnum: (n: number) => string): string => {
  const body = alnum(40);
  return `${prefix}${body}${crc32(body).toString(16).padStart(8, "0")}`;
};

function apiToken(id: string, name: string, prefix: string): PatternDefinition {
  return {
    id,
    name,
    provider,
    regex: `${prefix}[A-Za-z0-9]{40}[a-f0-9]{8}`,
    keywords: [prefix],
    validate: hasCloudflareChecksum,
    validation: { kind: "checksum", check: "Cloudflare's CRC32 checksum (the last 8 hex digits)" },
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `CLOUDFLARE_API_TOKEN=${token(prefix, (n) => r.alnum(n))}`,
        (r) => `api_token = "${token(prefix, (n) => r.alnum(n))}"`,
      ],
      negative: [
        { text: (r) => `${prefix}${r.alnum(40)}${r.hex(8)}`, reason: "the CRC32 checksum does not match" },
        { text: (r) => `${prefix}${r.alnum(20)}`, reason: "too short" },
      ],
    },
  };
}

export const cloudflarePatterns: PatternDefinition[] = [
  apiToken("cloudflare_account_api_token", "Cloudflare Account API Token", "cfat_"),
  // developers.cloudflare.com "Token formats": the Global API Key is `cfk_` + 40 characters + checksum. Legacy
  // keys (37 hex digits, no prefix) are not looked for.
  apiToken("cloudflare_global_user_api_key", "Cloudflare Global User API Key", "cfk_"),
  apiToken("cloudflare_user_api_token", "Cloudflare User API Token", "cfut_"),
];
