import type { PatternDefinition } from "../pattern.js";

export const facebookPatterns: PatternDefinition[] = [
  {
    id: "facebook_access_token",
    name: "Facebook Access Token",
    provider: "Facebook",
    // Graph API access tokens start `EAA` and run to a few hundred alphanumerics.
    regex: "EAA[A-Za-z0-9]{90,1000}",
    keywords: ["EAA"],
    window: { before: 16, after: 1100 },
    mustMatch: ["[a-z]", "[0-9]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `FB_PAGE_ACCESS_TOKEN=EAAG${r.alnum(180)}`,
        (r) => `url = 'https://graph.facebook.com/me/friends?access_token=EAACEdEose0cBA${r.alnum(150)}'`,
      ],
      negative: [
        { text: (r) => `EAA${r.alnum(40)}`, reason: "too short" },
        { text: (r) => `EAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA${r.upper(20)}`, reason: "base64 padding and capitals, not a token" },
      ],
    },
  },
];
