import type { PatternDefinition } from "../pattern.js";

export const cockroachLabsPatterns: PatternDefinition[] = [
  {
    id: "ccdb_api_key",
    name: "CockroachDB Cloud API Key",
    provider: "Cockroach Labs",
    // `CCDB1_` + a 22-character key id + `_` + a 40-character secret (the Terraform provider documents this shape).
    regex: "CCDB1_[A-Za-z0-9]{22}_[A-Za-z0-9]{40}",
    keywords: ["CCDB1_"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `provider "cockroach" {\n  apikey = "CCDB1_${r.alnum(22)}_${r.alnum(40)}"\n}`, (r) => `COCKROACH_API_KEY=CCDB1_${r.alnum(22)}_${r.alnum(40)}`],
      negative: [
        { text: (r) => `CCDB1_${r.alnum(22)}`, reason: "the key id alone, without the secret" },
        { text: "COCKROACH_API_KEY=CCDB1_test_key_that_is_not_real", reason: "not the key's shape" },
      ],
    },
  },
];
