import type { PatternDefinition } from "../pattern.js";

export const flickrPatterns: PatternDefinition[] = [
  {
    id: "flickr_api_key",
    name: "Flickr API Key",
    provider: "Flickr",
    // 32 hex digits with no prefix: only where assigned to a Flickr name.
    regex: "[a-f0-9]{32}",
    before: "(?i)flickr[\\w.-]{0,20}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    keywords: ["flickr"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `FLICKR_API_KEY=${r.hex(32)}`, (r) => `flickr_key: '${r.hex(32)}'`],
      negative: [
        { text: (r) => `api_key = "${r.hex(32)}"`, reason: "no Flickr name" },
        { text: (r) => `FLICKR_USER_ID=${r.digits(8)}@N0${r.digits(1)}`, reason: "a user id" },
      ],
    },
  },
];
