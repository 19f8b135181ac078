import type { PatternDefinition } from "../pattern.js";

export const perplexityPatterns: PatternDefinition[] = [
  {
    id: "perplexity_api_key",
    name: "Perplexity API Key",
    provider: "Perplexity",
    regex: "pplx-[A-Za-z0-9]{48}",
    keywords: ["pplx-"],
    mustMatch: ["[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `PERPLEXITY_API_KEY=pplx-${r.alnum(24)}5${r.alnum(23)}`],
      negative: [
        { text: (r) => `pplx-${r.alnum(20)}`, reason: "too short" },
        { text: "pplx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
      ],
    },
  },
];
