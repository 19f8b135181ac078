import type { PatternDefinition } from "../pattern.js";

export const rollbarPatterns: PatternDefinition[] = [
  {
    id: "rollbar_access_token",
    name: "Rollbar Access Token",
    provider: "Rollbar",
    // 32 hex with no marker: only in an assignment to a Rollbar-named setting. Not in GitHub's list.
    regex: "[a-f0-9]{32}",
    before: "(?i)rollbar[\\w.-]{0,25}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    keywords: ["rollbar"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `ROLLBAR_ACCESS_TOKEN=${r.hex(32)}`, (r) => `config.rollbar_token = '${r.hex(32)}'`],
      negative: [
        { text: (r) => `ROLLBAR_ENVIRONMENT=production # ${r.hex(32)}`, reason: "not assigned to a Rollbar setting" },
        { text: (r) => `ROLLBAR_ACCESS_TOKEN=${r.hex(20)}`, reason: "too short" },
      ],
    },
  },
];
