import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const launchdarklyPatterns: PatternDefinition[] = [
  {
    id: "launchdarkly_access_token",
    name: "LaunchDarkly API Token",
    provider: "LaunchDarkly",
    // API access tokens: api- and a UUID (SDK keys are sdk-, mobile keys mob-).
    regex: "api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    before: assigned("launchdarkly"),
    keywords: ["launchdarkly"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `LAUNCHDARKLY_ACCESS_TOKEN=api-${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`],
      negative: [
        { text: (r) => `LAUNCHDARKLY_SDK_KEY=sdk-${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`, reason: "an SDK key, not an API token" },
        { text: (r) => `id: api-${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`, reason: "no LaunchDarkly name" },
      ],
    },
  },
];
