import type { PatternDefinition } from "../pattern.js";

const provider = "DigitalOcean";

function doToken(id: string, name: string, prefix: string, validityCheck: boolean): PatternDefinition {
  return {
    id,
    name,
    provider,
    regex: `${prefix}[a-f0-9]{64}`,
    keywords: [prefix],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck,
    examples: {
      positive: [(r) => `DIGITALOCEAN_TOKEN=${prefix}${r.hex(64)}`, (r) => `do_token = "${prefix}${r.hex(64)}"`],
      negative: [
        { text: (r) => `${prefix}${r.hex(40)}`, reason: "too short" },
        { text: (r) => `${prefix}${r.alnum(64)}`, reason: "the secret is hexadecimal" },
      ],
    },
  };
}

export const digitaloceanPatterns: PatternDefinition[] = [
  doToken("digitalocean_oauth_token", "DigitalOcean OAuth Token", "doo_v1_", true),
  doToken("digitalocean_personal_access_token", "DigitalOcean Personal Access Token", "dop_v1_", true),
  doToken("digitalocean_refresh_token", "DigitalOcean Refresh Token", "dor_v1_", false),
];
