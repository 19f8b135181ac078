import type { PatternDefinition } from "../pattern.js";

export const linkedinPatterns: PatternDefinition[] = [
  {
    id: "linkedin_client_secret",
    name: "LinkedIn Client Secret",
    provider: "LinkedIn",
    // Current client secrets: WPL_AP1. + 16 base62 + . + base64 of four bytes.
    regex: "WPL_AP1\\.[A-Za-z0-9]{16}\\.[A-Za-z0-9+/]{6}==",
    after: "\\z|[^A-Za-z0-9+/=]",
    keywords: ["wpl_ap1."],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `LINKEDIN_CLIENT_SECRET=WPL_AP1.${r.alnum(16)}.${r.base64(6)}==`, (r) => `clientSecret: 'WPL_AP1.${r.alnum(16)}.${r.base64(6)}=='`],
      negative: [
        { text: 'placeholder="e.g. WPL_AP1.xxxxxxxx..."', reason: "placeholder" },
        { text: (r) => `WPL_AP1.${r.alnum(10)}.${r.base64(6)}==`, reason: "too short" },
      ],
    },
  },
];
