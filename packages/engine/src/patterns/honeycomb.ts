import type { PatternDefinition } from "../pattern.js";

export const honeycombPatterns: PatternDefinition[] = [
  {
    id: "honeycomb_ingest_key",
    name: "Honeycomb Ingest Key",
    provider: "Honeycomb",
    // `hc<x>ik_` + the key id and the secret concatenated (58 characters). Not in GitHub's list.
    regex: "hc[a-z]ik_[A-Za-z0-9]{58}",
    // The letter after `hc` varies by key; each `hc<x>ik_` is a keyword.
    keywords: [..."abcdefghijklmnopqrstuvwxyz"].map((x) => `hc${x}ik_`),
    mustMatch: ["[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `HONEYCOMB_API_KEY=hcxik_01${r.lowerAlnum(24)}${r.alnum(32)}`,
        (r) => `OTEL_EXPORTER_OTLP_HEADERS="x-honeycomb-team=hcaik_01${r.lowerAlnum(24)}${r.alnum(32)}"`,
      ],
      negative: [
        { text: (r) => `hcxik_01${r.lowerAlnum(24)}`, reason: "a key id alone, without its secret" },
        { text: (r) => `hcxlk_01${r.lowerAlnum(24)}${r.alnum(32)}`, reason: "a configuration key id prefix, not an ingest key" },
      ],
    },
  },
];
