import type { PatternDefinition } from "../pattern.js";

export const finicityPatterns: PatternDefinition[] = [
  {
    id: "finicity_app_key",
    name: "Finicity App Key",
    provider: "Finicity",
    // 32 hex digits with no prefix: only where assigned to a Finicity name.
    regex: "[a-f0-9]{32}",
    before: "(?i)finicity[\\w.-]{0,20}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    keywords: ["finicity"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    // GitHub's push protection covers this type, but Vigil recognises it only by a nearby name (its shape is generic):
    // not proof enough to block a push. Reported, never blocking (a catalog test holds every low-confidence pattern to this).
    pushProtection: false,
    examples: {
      positive: [(r) => `FINICITY_APP_KEY=${r.hex(32)}`, (r) => `"finicityAppKey": "${r.hex(32)}"`],
      negative: [
        { text: (r) => `app_key = "${r.hex(32)}"`, reason: "no Finicity name" },
        { text: (r) => `FINICITY_PARTNER_ID=${r.digits(13)}`, reason: "a partner id" },
      ],
    },
  },
];
