import type { PatternDefinition } from "../pattern.js";

const provider = "Shippo";

function shippo(id: string, name: string, mode: "live" | "test"): PatternDefinition {
  const prefix = `shippo_${mode}_`;
  return {
    id,
    name,
    provider,
    // `shippo_live_` / `shippo_test_` + 40 hex characters.
    regex: `${prefix}[a-fA-F0-9]{40}`,
    keywords: [prefix],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `SHIPPO_API_KEY=${prefix}${r.hex(40)}`, (r) => `Authorization: ShippoToken ${prefix}${r.hex(40)}`],
      negative: [
        { text: (r) => `${prefix}${r.hex(24)}`, reason: "too short" },
        { text: (r) => `${prefix}${r.lower(40)}`, reason: "not hexadecimal" },
      ],
    },
  };
}

export const shippoPatterns: PatternDefinition[] = [
  shippo("shippo_live_api_token", "Shippo Live API Token", "live"),
  shippo("shippo_test_api_token", "Shippo Test API Token", "test"),
];
