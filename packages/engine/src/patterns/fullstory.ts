import type { PatternDefinition } from "../pattern.js";

export const fullstoryPatterns: PatternDefinition[] = [
  {
    id: "fullstory_api_key",
    name: "FullStory API Key",
    provider: "FullStory",
    // Server API keys: the data region (`na1`) + `.` + 100 base64 characters.
    regex: "na1\\.[A-Za-z0-9+/]{100}",
    after: "\\z|[^A-Za-z0-9+/]",
    keywords: ["na1."],
    minEntropy: 4.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `FULLSTORY_API_KEY=na1.${r.base64(100)}`, (r) => `headers = {"Authorization": "Basic na1.${r.base64(100)}"}`],
      negative: [
        { text: (r) => `na1.${r.base64(40)}`, reason: "too short" },
        { text: (r) => `host: na1.${r.lower(8)}.example.com`, reason: "a host name" },
      ],
    },
  },
];
