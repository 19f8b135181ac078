import type { PatternDefinition } from "../pattern.js";

export const typeformPatterns: PatternDefinition[] = [
  {
    id: "typeform_personal_access_token",
    name: "Typeform Personal Access Token",
    provider: "Typeform",
    // `tfp_` + a URL-safe body (44 characters, `_`, 14 characters in current tokens).
    regex: "tfp_[A-Za-z0-9_-]{40,59}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["tfp_"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `TYPEFORM_TOKEN=tfp_${r.alnum(44)}_${r.alnum(14)}`, (r) => `Authorization: Bearer tfp_${r.alnum(44)}`],
      negative: [
        { text: (r) => `tfp_${r.alnum(20)}`, reason: "too short" },
        { text: (r) => `tfp_${r.alnum(70)}`, reason: "too long" },
      ],
    },
  },
];
