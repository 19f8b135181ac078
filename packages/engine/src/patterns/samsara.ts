import type { PatternDefinition } from "../pattern.js";

export const samsaraPatterns: PatternDefinition[] = [
  {
    id: "samsara_api_token",
    name: "Samsara API Token",
    provider: "Samsara",
    // `samsara_api_` + 26 to 32 alphanumerics.
    regex: "samsara_api_[A-Za-z0-9]{26,32}",
    keywords: ["samsara_api_"],
    mustMatch: ["[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `SAMSARA_API_TOKEN=samsara_api_${r.alnum(29)}4`],
      negative: [
        { text: "samsara_api_token_from_vault", reason: "a setting name, not a token" },
        { text: (r) => `samsara_api_${r.alnum(10)}`, reason: "too short" },
      ],
    },
  },
];
