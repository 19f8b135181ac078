import type { PatternDefinition } from "../pattern.js";

export const pinterestPatterns: PatternDefinition[] = [
  {
    id: "pinterest_access_token",
    name: "Pinterest Access Token",
    provider: "Pinterest",
    // OAuth access tokens: `pina_` + a URL-safe body.
    regex: "pina_[A-Za-z0-9_-]{20,200}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["pina_"],
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `PINTEREST_ACCESS_TOKEN=pina_${r.alnum(37)}a1B`, (r) => `Authorization: Bearer pina_${r.base64url(80)}Zz9`],
      negative: [
        { text: "pina_colada_recipe_with_fresh_pineapple", reason: "words, not a token" },
        { text: (r) => `pina_${r.alnum(8)}`, reason: "too short" },
      ],
    },
  },
];
