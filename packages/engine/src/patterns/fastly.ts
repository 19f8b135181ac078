import type { PatternDefinition } from "../pattern.js";

export const fastlyPatterns: PatternDefinition[] = [
  {
    id: "fastly_api_token",
    name: "Fastly API Token",
    provider: "Fastly",
    // 32 base64url characters with no prefix: only where assigned to a Fastly name.
    regex: "[A-Za-z0-9_-]{32}",
    before: "(?i)fastly[\\w.-]{0,20}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["fastly"],
    mustMatch: ["[0-9]", "[A-Za-z]"],
    minEntropy: 3.5,
    confidence: "low",
    category: "provider",
    // GitHub's push protection covers this type, but Vigil recognises it only by a nearby name (its shape is generic):
    // not proof enough to block a push. Reported, never blocking (a catalog test holds every low-confidence pattern to this).
    pushProtection: false,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `FASTLY_API_TOKEN=${r.alnum(30)}9${r.alnum(1)}`,
        (r) => `fastly_api_key: "${r.base64url(31)}7"`,
      ],
      negative: [
        { text: (r) => `FASTLY_SERVICE_ID=${r.alnum(22)}`, reason: "a 22-character service id" },
        { text: (r) => `token = "${r.alnum(32)}"`, reason: "no Fastly name" },
      ],
    },
  },
];
