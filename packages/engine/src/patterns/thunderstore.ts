import type { PatternDefinition } from "../pattern.js";

export const thunderstorePatterns: PatternDefinition[] = [
  {
    id: "thunderstore_io_api_token",
    name: "Thunderstore IO API Token",
    provider: "Thunderstore",
    // Service account tokens: `tss_` + a URL-safe body.
    regex: "tss_[A-Za-z0-9_-]{20,80}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["tss_"],
    mustMatch: ["[0-9].*[0-9]", "[A-Za-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `TCLI_AUTH_TOKEN=tss_12${r.base64url(30)}`, (r) => `token: \${{ secrets.TS_TOKEN }} # was tss_${r.alnum(30)}94`],
      negative: [
        { text: "tss_short", reason: "too short" },
        { text: "tss_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEf", reason: "no digits: a made-up value, not random" },
      ],
    },
  },
];
