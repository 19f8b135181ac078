import type { PatternDefinition } from "../pattern.js";

export const datastaxPatterns: PatternDefinition[] = [
  {
    id: "datastax_astracs_token",
    name: "Datastax AstraCS Tokens",
    provider: "Datastax",
    // Astra DB application tokens: `AstraCS:` + 24 letters (client id) + `:` + 64 hex (secret).
    regex: "AstraCS:[A-Za-z]{24}:[a-f0-9]{64}",
    keywords: ["AstraCS:"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `ASTRA_DB_APPLICATION_TOKEN=AstraCS:${r.upper(5)}${r.lower(19)}:${r.hex(64)}`],
      negative: [
        { text: "ASTRA_DB_APPLICATION_TOKEN=AstraCS:...", reason: "elided value" },
        { text: (r) => `AstraCS:${r.alnum(24)}:${r.hex(32)}`, reason: "too short" },
      ],
    },
  },
];
