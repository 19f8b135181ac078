import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const merakiPatterns: PatternDefinition[] = [
  {
    id: "meraki_api_key",
    name: "Meraki Dashboard API Key",
    provider: "Meraki",
    // Dashboard API keys are 40 hex digits: only a Meraki name (or its header) marks them.
    regex: "[0-9a-f]{40}",
    before: assigned("meraki"),
    keywords: ["meraki"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `MERAKI_DASHBOARD_API_KEY=${r.hex(40)}`, (r) => `-H "X-Cisco-Meraki-API-Key: ${r.hex(40)}"`],
      negative: [
        { text: (r) => `commit: ${r.hex(40)}`, reason: "a git object id" },
        { text: (r) => `MERAKI_ORG_ID=${r.digits(6)}`, reason: "an organization id" },
      ],
    },
  },
];
