import type { PatternDefinition } from "../pattern.js";

export const prefectPatterns: PatternDefinition[] = [
  {
    id: "prefect_user_api_key",
    name: "Prefect User API Key",
    provider: "Prefect",
    // Prefect Cloud user keys: `pnu_` + 36 alphanumerics.
    regex: "pnu_[A-Za-z0-9]{36}",
    keywords: ["pnu_"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `PREFECT_API_KEY=pnu_${r.alnum(36)}`, (r) => `prefect cloud login --key pnu_${r.alnum(36)}`],
      negative: [
        { text: (r) => `pnu_${r.alnum(20)}`, reason: "too short" },
        { text: (r) => `pnu_${r.alnum(40)}`, reason: "too long" },
      ],
    },
  },
];
