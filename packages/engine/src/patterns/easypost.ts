import type { PatternDefinition } from "../pattern.js";

function easypostKey(id: string, name: string, prefix: string, pushProtection: boolean): PatternDefinition {
  return {
    id,
    name,
    provider: "EasyPost",
    regex: `${prefix}[A-Za-z0-9]{54}`,
    keywords: [prefix],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection,
    examples: {
      positive: [(r) => `EASYPOST_API_KEY=${prefix}${r.alnum(54)}`, (r) => `client = easypost.EasyPostClient("${prefix}${r.alnum(54)}")`],
      negative: [{ text: (r) => `${prefix}${r.alnum(30)}`, reason: "too short" }],
    },
  };
}

export const easypostPatterns: PatternDefinition[] = [
  easypostKey("easypost_production_api_key", "EasyPost Production API Key", "EZAK", true),
  easypostKey("easypost_test_api_key", "EasyPost Test API Key", "EZTK", false),
];
