import type { PatternDefinition } from "../pattern.js";

export const workatoPatterns: PatternDefinition[] = [
  {
    id: "workato_developer_api_token",
    name: "Workato Developer API Token",
    provider: "Workato",
    // `wrka-` (or a data-center form such as `wrkaeu-`) + a JWT.
    regex: "wrka(?:[a-z]{2})?-eyJ[A-Za-z0-9_-]{8,500}\\.[A-Za-z0-9_-]{16,1000}\\.[A-Za-z0-9_-]{64,1000}",
    after: "\\z|[^A-Za-z0-9_.-]",
    keywords: ["wrka"],
    window: { before: 64, after: 2048 },
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `WORKATO_API_TOKEN=wrka-eyJ${r.base64url(30)}.eyJ${r.base64url(60)}.${r.base64url(86)}`,
        (r) => `WORKATO_EU_API_TOKEN=wrkaeu-eyJ${r.base64url(30)}.eyJ${r.base64url(60)}.${r.base64url(86)}`,
      ],
      negative: [
        { text: "WORKATO_API_TOKEN=wrka-short", reason: "too short" },
        { text: (r) => `eyJ${r.base64url(30)}.eyJ${r.base64url(60)}.${r.base64url(86)}`, reason: "a bare JWT without Workato's prefix" },
      ],
    },
  },
];
