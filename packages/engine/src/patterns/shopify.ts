import type { PatternDefinition } from "../pattern.js";

const provider = "Shopify";

/** Shopify app credentials: a type prefix + 32 hex characters. */
function shopify(id: string, name: string, prefix: string, context: string, validityCheck: boolean): PatternDefinition {
  return {
    id,
    name,
    provider,
    regex: `${prefix}[a-fA-F0-9]{32}`,
    keywords: [prefix],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck,
    examples: {
      positive: [(r) => `${context}=${prefix}${r.hex(32)}`, (r) => `headers: { "X-Shopify-Access-Token": "${prefix}${r.hex(32)}" }`],
      negative: [
        { text: (r) => `${prefix}${r.hex(20)}`, reason: "too short" },
        { text: (r) => `${prefix}${r.lower(32)}`, reason: "not hexadecimal" },
        { text: (r) => `${prefix}${r.hex(40)}`, reason: "too long: part of a longer hex run" },
      ],
    },
  };
}

export const shopifyPatterns: PatternDefinition[] = [
  shopify("shopify_access_token", "Shopify Access Token", "shpat_", "SHOPIFY_ACCESS_TOKEN", true),
  shopify("shopify_app_shared_secret", "Shopify App Shared Secret", "shpss_", "SHOPIFY_API_SECRET", false),
  shopify("shopify_custom_app_access_token", "Shopify Custom App Access Token", "shpca_", "SHOPIFY_ADMIN_TOKEN", true),
  shopify("shopify_private_app_password", "Shopify Private App Password", "shppa_", "SHOPIFY_PASSWORD", true),
];
