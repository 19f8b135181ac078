import type { PatternDefinition } from "../pattern.js";

export const sslmatePatterns: PatternDefinition[] = [
  {
    id: "sslmate_api_key",
    name: "SSLMate API Key",
    provider: "SSLMate",
    // 36 alphanumerics with no marker of their own: only in an assignment to an SSLMate-named setting.
    regex: "[A-Za-z0-9]{36}",
    before: "(?i)sslmate[\\w.-]{0,20}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    keywords: ["sslmate"],
    mustMatch: ["[0-9]", "[A-Za-z]"],
    minEntropy: 4,
    confidence: "low",
    category: "provider",
    // GitHub's push protection covers this type, but Vigil recognises it only by a nearby name (its shape is generic):
    // not proof enough to block a push. Reported, never blocking (a catalog test holds every low-confidence pattern to this).
    pushProtection: false,
    validityCheck: true,
    examples: {
      positive: [(r) => `SSLMATE_API_KEY=${r.alnum(34)}k4`, (r) => `sslmate_key: "${r.alnum(34)}Q9"`],
      negative: [
        { text: (r) => `SSLMATE_API_KEY=${r.alnum(20)}`, reason: "too short" },
        { text: (r) => `api_key = ${r.alnum(34)}k4`, reason: "no SSLMate name in the assignment" },
      ],
    },
  },
];
