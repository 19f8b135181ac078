import type { PatternDefinition } from "../pattern.js";

export const valTownPatterns: PatternDefinition[] = [
  {
    id: "val_town_api_token",
    name: "Val Town API Token",
    provider: "Val Town",
    // `vtwn_` + a URL-safe body.
    regex: "vtwn_[A-Za-z0-9_-]{20,80}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["vtwn_"],
    mustMatch: ["[0-9].*[0-9]", "[A-Za-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `VALTOWN_TOKEN=vtwn_34${r.base64url(30)}`],
      negative: [
        { text: "VALTOWN_TOKEN=vtwn_short", reason: "too short" },
        { text: "vtwn_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEf", reason: "no digits: a made-up value, not random" },
      ],
    },
  },
];
