import type { PatternDefinition } from "../pattern.js";

function duffelToken(id: string, name: string, prefix: string): PatternDefinition {
  return {
    id,
    name,
    provider: "Duffel",
    regex: `${prefix}[A-Za-z0-9_=-]{43}`,
    after: "\\z|[^A-Za-z0-9_=-]",
    keywords: [prefix],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `DUFFEL_ACCESS_TOKEN=${prefix}${r.base64url(43)}`],
      negative: [{ text: (r) => `${prefix}${r.alnum(20)}`, reason: "too short" }],
    },
  };
}

export const duffelPatterns: PatternDefinition[] = [
  duffelToken("duffel_live_access_token", "Duffel Live Access Token", "duffel_live_"),
  duffelToken("duffel_test_access_token", "Duffel Test Access Token", "duffel_test_"),
];
