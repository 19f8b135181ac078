import type { PatternDefinition } from "../pattern.js";

export const bugsnagPatterns: PatternDefinition[] = [
  {
    id: "bugsnag_api_key",
    name: "Bugsnag API Key",
    provider: "Bugsnag",
    // 32 hex with no marker: only in an assignment to a Bugsnag-named setting. Not in GitHub's list.
    regex: "[a-f0-9]{32}",
    before: "(?i)bugsnag[\\w.-]{0,25}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    keywords: ["bugsnag"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `BUGSNAG_API_KEY=${r.hex(32)}`, (r) => `config.bugsnag_api_key = "${r.hex(32)}";`],
      negative: [
        { text: (r) => `BUGSNAG_RELEASE_STAGE=staging ${r.hex(32)}`, reason: "not assigned to a Bugsnag setting" },
        { text: (r) => `BUGSNAG_API_KEY=${r.hex(16)}`, reason: "too short" },
      ],
    },
  },
];
