import type { PatternDefinition } from "../pattern.js";

export const telnyxPatterns: PatternDefinition[] = [
  {
    id: "telnyx_api_v2_key",
    name: "Telnyx API V2 Key",
    provider: "Telnyx",
    // `KEY` + 55 URL-safe characters. "KEY" is far too common to search for, so a Telnyx mention must be near.
    regex: "KEY[0-9A-Za-z_-]{55}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["telnyx"],
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `TELNYX_API_KEY=KEY${r.chars("0123456789ABCDEF", 32)}_${r.alnum(20)}a1`,
        (r) => `telnyx.api_key = "KEY${r.chars("0123456789ABCDEF", 32)}_${r.alnum(20)}Zq"`,
      ],
      negative: [
        { text: (r) => `TELNYX_API_KEY=KEY${r.alnum(30)}`, reason: "too short" },
        { text: (r) => `KEY${r.chars("0123456789ABCDEF", 32)}_${r.alnum(20)}a1`, reason: "no Telnyx context" },
      ],
    },
  },
];
