import type { PatternDefinition } from "../pattern.js";

export const apifyPatterns: PatternDefinition[] = [
  {
    id: "apify_api_token",
    name: "Apify API Token",
    provider: "Apify",
    // Personal and scoped API tokens: `apify_api_` + 36 alphanumerics.
    regex: "apify_api_[A-Za-z0-9]{36}",
    keywords: ["apify_api_"],
    mustMatch: ["[0-9]", "[A-Za-z]"],
    minEntropy: 3.8,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `APIFY_TOKEN=apify_api_${r.alnum(33)}x7Q`,
        (r) => `client = ApifyClient("apify_api_${r.alnum(20)}4Kd${r.alnum(13)}")`,
      ],
      negative: [
        { text: "APIFY_TOKEN=apify_api_YOUR_TOKEN_HERE", reason: "placeholder" },
        { text: (r) => `apify_api_${r.alnum(16)}`, reason: "too short" },
      ],
    },
  },
];
