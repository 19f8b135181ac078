import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const cloudsmithPatterns: PatternDefinition[] = [
  {
    id: "cloudsmith_api_key",
    name: "Cloudsmith API Key",
    provider: "Cloudsmith",
    // API keys are 40 hex digits: only a Cloudsmith name marks them.
    regex: "[0-9a-f]{40}",
    before: assigned("cloudsmith"),
    keywords: ["cloudsmith"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `CLOUDSMITH_API_KEY=${r.hex(40)}`, (r) => `cloudsmith_api_key: "${r.hex(40)}"`],
      negative: [
        { text: (r) => `commit = "${r.hex(40)}"`, reason: "a git object id" },
        { text: "CLOUDSMITH_REPO=acme/packages", reason: "a repository name" },
      ],
    },
  },
];
