import type { PatternDefinition } from "../pattern.js";

export const segmentPatterns: PatternDefinition[] = [
  {
    id: "segment_public_api_token",
    name: "Segment Public API Token",
    provider: "Segment",
    // `sgp_` + 64 alphanumerics (Sourcegraph's `sgp_` tokens are 40 hex, optionally after an instance id).
    regex: "sgp_[A-Za-z0-9]{64}",
    keywords: ["sgp_"],
    mustMatch: ["[g-zG-Z]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `SEGMENT_PUBLIC_API_TOKEN=sgp_${r.alnum(63)}z`, (r) => `token: "sgp_${r.alnum(63)}Q"`],
      negative: [
        { text: (r) => `sgp_${r.alnum(40)}`, reason: "too short" },
        { text: (r) => `sgp_${r.hex(16)}_${r.hex(40)}`, reason: "a Sourcegraph token, not a Segment one" },
      ],
    },
  },
];
