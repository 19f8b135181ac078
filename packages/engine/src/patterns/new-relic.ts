import type { PatternDefinition } from "../pattern.js";

const provider = "New Relic";

export const newRelicPatterns: PatternDefinition[] = [
  {
    id: "new_relic_insights_query_key",
    name: "New Relic Insights Query Key",
    provider,
    regex: "NRIQ-[A-Za-z0-9_-]{32}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["nriq-"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `"querykey": "NRIQ-${r.base64url(32)}",`],
      negative: [{ text: (r) => `NRIQ-${r.base64url(20)}`, reason: "too short" }],
    },
  },
  {
    id: "new_relic_license_key",
    name: "New Relic License Key",
    provider,
    // Ingest license keys: 40 characters ending in NRAL (EU keys start eu01xx).
    regex: "[a-z0-9]{6}[a-f0-9]{30}NRAL",
    keywords: ["nral"],
    window: { before: 48, after: 8 },
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `license_key: ${r.hex(36)}NRAL`, (r) => `NEW_RELIC_LICENSE_KEY=eu01xx${r.hex(30)}NRAL`],
      negative: [
        { text: (r) => `${r.hex(20)}NRAL`, reason: "too short" },
        { text: "license_key: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaNRAL", reason: "placeholder" },
      ],
    },
  },
  {
    id: "new_relic_personal_api_key",
    name: "New Relic Personal API Key",
    provider,
    regex: "NRAK-[A-Z0-9]{27}",
    keywords: ["nrak-"],
    mustMatch: ["[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `NEW_RELIC_API_KEY=NRAK-${r.upperAlnum(12)}7${r.upperAlnum(14)}`],
      negative: [
        { text: "NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX", reason: "placeholder" },
        { text: (r) => `NRAK-${r.upperAlnum(10)}`, reason: "too short" },
      ],
    },
  },
  {
    id: "new_relic_rest_api_key",
    name: "New Relic REST API Key",
    provider,
    regex: "NRRA-[a-f0-9]{42}",
    keywords: ["nrra-"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `curl -X POST "https://api.newrelic.com/v2/applications/1/deployments.json" -H "X-Api-Key:NRRA-${r.hex(42)}"`],
      negative: [{ text: (r) => `NRRA-${r.hex(20)}`, reason: "too short" }],
    },
  },
];
