import type { PatternDefinition } from "../pattern.js";

const provider = "Beamer";

export const beamerPatterns: PatternDefinition[] = [
  {
    id: "beamer_api_key",
    name: "Beamer API Key",
    provider,
    // `b_` + 44 characters (32 bytes in base64); the prefix is too short to search for, so the key must be
    // assigned to a Beamer name.
    regex: "b_[A-Za-z0-9+/=_-]{44}",
    before: "(?i)beamer[\\w.-]{0,20}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    after: "\\z|[^A-Za-z0-9+/=_-]",
    keywords: ["beamer"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `BEAMER_API_KEY=b_${r.base64(43)}=`, (r) => `{"beamerApiKey": "b_${r.alnum(44)}"}`],
      negative: [
        { text: (r) => `BEAMER_API_KEY=b_${r.alnum(20)}`, reason: "too short" },
        { text: (r) => `api_key = "b_${r.alnum(44)}"`, reason: "no Beamer name beside a prefix this short" },
      ],
    },
  },
];
