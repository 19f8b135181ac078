import type { PatternDefinition } from "../pattern.js";

const provider = "Sourcegraph";

/** Tokens derived from a SHA-256: a type prefix + 64 hex characters. */
function sha256Token(id: string, name: string, prefix: string, context: string): PatternDefinition {
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
    examples: {
      positive: [(r) => `${context}=${prefix}${r.hex(64)}`, (r) => `Authorization: Bearer ${prefix}${r.hex(64)}`],
      negative: [
        { text: (r) => `${prefix}${r.hex(40)}`, reason: "too short" },
        { text: (r) => `${prefix}${r.upper(64)}`, reason: "not hexadecimal" },
      ],
    },
  };
}

export const sourcegraphPatterns: PatternDefinition[] = [
  {
    id: "sourcegraph_access_token",
    name: "Sourcegraph Access Token",
    provider,
    // `sgp_` + 40 hex (v2), or `sgp_local_` + 40 hex (v3 token of a local instance).
    regex: "sgp_(?:local_)?[a-f0-9]{40}",
    keywords: ["sgp_"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    validityCheck: true,
    examples: {
      positive: [(r) => `SRC_ACCESS_TOKEN=sgp_${r.hex(40)}`, (r) => `src login --token sgp_local_${r.hex(40)}`],
      negative: [
        { text: (r) => `sgp_${r.hex(32)}`, reason: "too short" },
        { text: (r) => `sgp_${r.alnum(64)}`, reason: "a Segment token shape, not a Sourcegraph one" },
      ],
    },
  },
  sha256Token("sourcegraph_dotcom_user_gateway", "Sourcegraph Dotcom User Gateway Access Token", "sgd_", "CODY_GATEWAY_TOKEN"),
  {
    id: "sourcegraph_instance_identifier_access_token",
    name: "Sourcegraph Access Token with Instance Identifier",
    provider,
    // v3: `sgp_` + a 16-hex instance identifier + `_` + 40 hex.
    regex: "sgp_[a-f0-9]{16}_[a-f0-9]{40}",
    keywords: ["sgp_"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    validityCheck: true,
    examples: {
      positive: [(r) => `SRC_ACCESS_TOKEN=sgp_${r.hex(16)}_${r.hex(40)}`],
      negative: [
        { text: (r) => `sgp_${r.hex(16)}_${r.hex(20)}`, reason: "secret part too short" },
        { text: (r) => `sgp_${r.lower(16)}_${r.hex(40)}`, reason: "instance identifier is not hexadecimal" },
      ],
    },
  },
  sha256Token("sourcegraph_license_key_token", "Sourcegraph License Key Token", "slk_", "SOURCEGRAPH_LICENSE_TOKEN"),
  sha256Token("sourcegraph_product_subscription_token", "Sourcegraph Product Subscription Token", "sgs_", "SOURCEGRAPH_SUBSCRIPTION_TOKEN"),
];
