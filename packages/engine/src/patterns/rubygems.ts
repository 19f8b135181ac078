import type { PatternDefinition } from "../pattern.js";

export const rubygemsPatterns: PatternDefinition[] = [
  {
    id: "rubygems_api_key",
    name: "RubyGems API Key",
    provider: "RubyGems",
    // `rubygems_` + 48 lower-case hex characters.
    regex: "rubygems_[a-f0-9]{48}",
    keywords: ["rubygems_"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `---\n:rubygems_api_key: rubygems_${r.hex(48)}\n`,
        (r) => `GEM_HOST_API_KEY=rubygems_${r.hex(48)}`,
      ],
      negative: [
        { text: (r) => `rubygems_${r.hex(40)}`, reason: "too short" },
        { text: "rubygems_api_key: ~", reason: "a setting name, not a key" },
      ],
    },
  },
];
