import type { PatternDefinition } from "../pattern.js";

export const pangeaPatterns: PatternDefinition[] = [
  {
    id: "pangea_token",
    name: "Pangea Token",
    provider: "Pangea",
    // pts_ and 32 lower-case base32 characters.
    regex: "pts_[a-z0-9]{32}",
    keywords: ["pts_"],
    mustMatch: ["[0-9]", "[a-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `export PANGEA_TOKEN=pts_${r.chars("abcdefghijklmnopqrstuvwxyz234567", 15)}5${r.chars("abcdefghijklmnopqrstuvwxyz234567", 16)}`],
      negative: [
        { text: (r) => `pts_${r.lower(12)}`, reason: "too short" },
        { text: "pts_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
      ],
    },
  },
];
