import type { PatternDefinition } from "../pattern.js";

export const railwayPatterns: PatternDefinition[] = [
  {
    id: "railway_api_token",
    name: "Railway API Token",
    provider: "Railway",
    // Account, team and project tokens (RAILWAY_API_TOKEN, RAILWAY_TOKEN) are bare UUIDs: only where assigned to a
    // Railway name, and even then a UUID could be a project id.
    regex: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    before: "(?i)railway[\\w.-]{0,6}(?:api[_-]?)?token[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    keywords: ["railway"],
    mustNotMatch: ["^0{8}-"],
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `RAILWAY_TOKEN=${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-8${r.hex(3)}-${r.hex(12)}`, (r) => `export RAILWAY_API_TOKEN="${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-a${r.hex(3)}-${r.hex(12)}"`],
      negative: [
        { text: (r) => `RAILWAY_PROJECT_ID=${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-8${r.hex(3)}-${r.hex(12)}`, reason: "a project id, not a token" },
        { text: "RAILWAY_TOKEN=00000000-0000-0000-0000-000000000000", reason: "placeholder" },
      ],
    },
  },
];
