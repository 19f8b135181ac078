import type { PatternDefinition } from "../pattern.js";

export const figmaPatterns: PatternDefinition[] = [
  {
    id: "figma_pat",
    name: "Figma Personal Access Token",
    provider: "Figma",
    // Personal access tokens: `figd_` + 40 base64url characters.
    regex: "figd_[A-Za-z0-9_-]{40}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["figd_"],
    minEntropy: 3.8,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `FIGMA_ACCESS_TOKEN=figd_${r.base64url(40)}`, (r) => `headers: { "X-Figma-Token": "figd_${r.alnum(40)}" }`],
      negative: [
        { text: "FIGMA_ACCESS_TOKEN=figd_your_token_here", reason: "placeholder" },
        { text: "placeholder=\"figd_xxxxxxxxxxxxxxxxxx\"", reason: "placeholder" },
      ],
    },
  },
];
