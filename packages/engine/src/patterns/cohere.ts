import type { PatternDefinition } from "../pattern.js";

export const coherePatterns: PatternDefinition[] = [
  {
    id: "cohere_api_key",
    name: "Cohere API Key",
    provider: "Cohere",
    // 40 alphanumerics with no prefix: only where assigned to a Cohere name.
    regex: "[A-Za-z0-9]{40}",
    before: "(?i)(?:cohere|co_api)[\\w.-]{0,20}[\\s'\"]{0,3}(?:=|:|=>|:=|\\()[\\s'\"]{0,5}",
    keywords: ["cohere", "co_api_key"],
    mustMatch: ["[0-9]", "[A-Za-z]"],
    minEntropy: 3.8,
    confidence: "low",
    category: "provider",
    // GitHub's push protection covers this type, but Vigil recognises it only by a nearby name (its shape is generic):
    // not proof enough to block a push. Reported, never blocking (a catalog test holds every low-confidence pattern to this).
    pushProtection: false,
    examples: {
      positive: [
        (r) => `COHERE_API_KEY=${r.alnum(30)}7a${r.alnum(8)}`,
        (r) => `co = cohere.Client("${r.alnum(30)}3Q${r.alnum(8)}")`,
      ],
      negative: [
        { text: (r) => `COHERE_API_KEY=${r.alnum(20)}`, reason: "too short" },
        {
          text: (r) => `api_key = "${r.alnum(40)}"`,
          reason: "no Cohere name: 40 alphanumerics alone are not distinctive",
        },
      ],
    },
  },
];
