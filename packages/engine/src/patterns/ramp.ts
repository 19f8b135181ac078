import type { PatternDefinition } from "../pattern.js";

const provider = "Ramp";

export const rampPatterns: PatternDefinition[] = [
  {
    id: "ramp_client_id",
    name: "Ramp OAuth Client ID",
    provider,
    // `ramp_id_` + 40 alphanumerics.
    regex: "ramp_id_[A-Za-z0-9]{40}",
    keywords: ["ramp_id_"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `RAMP_CLIENT_ID=ramp_id_${r.alnum(40)}`],
      negative: [{ text: (r) => `ramp_id_${r.alnum(20)}`, reason: "too short" }],
    },
  },
  {
    id: "ramp_client_secret",
    name: "Ramp OAuth Client Secret",
    provider,
    // `ramp_sec_` + 48 alphanumerics.
    regex: "ramp_sec_[A-Za-z0-9]{48}",
    keywords: ["ramp_sec_"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `RAMP_CLIENT_SECRET=ramp_sec_${r.alnum(48)}`, (r) => `ramp:\n  client_secret: "ramp_sec_${r.alnum(48)}"`],
      negative: [
        { text: (r) => `ramp_sec_${r.alnum(30)}`, reason: "too short" },
        { text: (r) => `ramp_sec_${r.alnum(60)}`, reason: "too long" },
      ],
    },
  },
];
