import type { PatternDefinition } from "../pattern.js";

export const pagerdutyPatterns: PatternDefinition[] = [
  {
    id: "pagerduty_oauth_token",
    name: "PagerDuty OAuth Token",
    provider: "PagerDuty",
    // Scoped OAuth access tokens (PagerDuty's OAuth docs): pdus+_0XBPWQQ_ and a UUID.
    regex: "pdus\\+_0XBPWQQ_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    keywords: ["pdus+_0xbpwqq_"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `{"access_token": "pdus+_0XBPWQQ_${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}", "token_type": "bearer"}`],
      negative: [
        { text: "access_token = pdus+_0XBPWQQ_", reason: "no token id" },
        { text: (r) => `pdus+_0XBPWQQ_${r.hex(8)}-${r.hex(4)}`, reason: "truncated" },
      ],
    },
  },
];
