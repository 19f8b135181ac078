import type { PatternDefinition } from "../pattern.js";

export const pulumiPatterns: PatternDefinition[] = [
  {
    id: "pulumi_access_token",
    name: "Pulumi Access Token",
    provider: "Pulumi",
    // `pul-` + 40 lower-case hex characters.
    regex: "pul-[a-f0-9]{40}",
    keywords: ["pul-"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `PULUMI_ACCESS_TOKEN=pul-${r.hex(40)}`, (r) => `env:\n  PULUMI_ACCESS_TOKEN: "pul-${r.hex(40)}"`],
      negative: [
        { text: (r) => `pul-${r.hex(32)}`, reason: "too short" },
        { text: (r) => `pul-${r.hex(40)}${r.hex(4)}`, reason: "too long: part of a longer hex run" },
        { text: (r) => `pul-${r.upper(40)}`, reason: "not hexadecimal" },
      ],
    },
  },
];
