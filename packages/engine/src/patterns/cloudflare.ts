import { crc32 } from "../checksum/crc32.js";
import type { PatternDefinition } from "../pattern.js";

const provider = "Cloudflare";

/** Scannable API tokens: prefix, 40 alphanumerics, then the CRC32 of those 40 as 8 lower-case hex digits. */
export function hasCloudflareChecksum(secret: string): boolean {
  const body = secret.slice(5, 45);
  return crc32(body).toString(16).padStart(8, "0") === secret.slice(45);
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
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `CLOUDFLARE_API_TOKEN=${token(prefix, (n) => r.alnum(n))}`, (r) => `api_token = "${token(prefix, (n) => r.alnum(n))}"`],
      negative: [
        { text: (r) => `${prefix}${r.alnum(40)}${r.hex(8)}`, reason: "the CRC32 checksum does not match" },
        { text: (r) => `${prefix}${r.alnum(20)}`, reason: "too short" },
      ],
    },
  };
}

export const cloudflarePatterns: PatternDefinition[] = [
  apiToken("cloudflare_account_api_token", "Cloudflare Account API Token", "cfat_"),
  {
    id: "cloudflare_global_user_api_key",
    name: "Cloudflare Global User API Key",
    provider,
    // 37 hex digits with no prefix: only where it is assigned to a Cloudflare name.
    regex: "[a-f0-9]{37}",
    before: "(?i)cloudflare[\\w.-]{0,20}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    keywords: ["cloudflare"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `CLOUDFLARE_API_KEY=${r.hex(37)}`, (r) => `cloudflare_global_api_key = "${r.hex(37)}"`],
      negative: [
        { text: (r) => `CLOUDFLARE_ZONE_ID=${r.hex(32)}`, reason: "a 32-hex zone id, not a 37-hex key" },
        { text: (r) => `api_key = "${r.hex(37)}"`, reason: "no Cloudflare name: 37 hex digits alone are not distinctive" },
      ],
    },
  },
  apiToken("cloudflare_user_api_token", "Cloudflare User API Token", "cfut_"),
];
