import type { PatternDefinition } from "../pattern.js";

export const firecrawlPatterns: PatternDefinition[] = [
  {
    id: "firecrawl_api_key",
    name: "Firecrawl API Key",
    provider: "Firecrawl",
    // `fc-` + 32 hex digits. Not in GitHub's list.
    regex: "fc-[a-f0-9]{32}",
    keywords: ["fc-"],
    mustMatch: ["[0-9]", "[a-f]"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `app = FirecrawlApp(api_key="fc-${r.hex(30)}a7")`, (r) => `FIRECRAWL_API_KEY=fc-${r.hex(32)}`],
      negative: [
        { text: (r) => `fc-${r.hex(16)}`, reason: "too short" },
        {
          text: (r) => `fc-${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`,
          reason: "a dashed UUID, not a key",
        },
      ],
    },
  },
];
