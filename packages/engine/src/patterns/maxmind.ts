import type { PatternDefinition } from "../pattern.js";

export const maxmindPatterns: PatternDefinition[] = [
  {
    id: "maxmind_license_key",
    name: "MaxMind License Key",
    provider: "MaxMind",
    // Current license keys: 6 + _ + 29 base62 characters + _mmk.
    regex: "[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk",
    keywords: ["_mmk"],
    window: { before: 48, after: 8 },
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `LicenseKey ${r.alnum(6)}_${r.alnum(29)}_mmk`, (r) => `MAXMIND_LICENSE_KEY=${r.alnum(6)}_${r.alnum(29)}_mmk`],
      negative: [
        { text: (r) => `${r.alnum(6)}_${r.alnum(12)}_mmk`, reason: "too short" },
        { text: "use_mmk", reason: "an identifier" },
      ],
    },
  },
];
