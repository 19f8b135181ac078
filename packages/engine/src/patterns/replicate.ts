import type { PatternDefinition } from "../pattern.js";

export const replicatePatterns: PatternDefinition[] = [
  {
    id: "replicate_api_token",
    name: "Replicate API Token",
    provider: "Replicate",
    // `r8_` + 37 characters.
    regex: "r8_[A-Za-z0-9_-]{37}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["r8_"],
    mustMatch: ["[0-9]", "[A-Za-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `REPLICATE_API_TOKEN=r8_${r.alnum(36)}7`, (r) => `client = replicate.Client(api_token="r8_${r.alnum(36)}1")`],
      negative: [
        { text: (r) => `r8_${r.alnum(20)}`, reason: "too short" },
        { text: (r) => `r8_${r.alnum(50)}`, reason: "too long" },
      ],
    },
  },
];
