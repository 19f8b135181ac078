import type { PatternDefinition } from "../pattern.js";

export const rootlyPatterns: PatternDefinition[] = [
  {
    id: "rootly_api_key",
    name: "Rootly API Key",
    provider: "Rootly",
    // `rootly_` + 64 lower-case hex.
    regex: "rootly_[a-f0-9]{64}",
    keywords: ["rootly_"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `ROOTLY_API_TOKEN=rootly_${r.hex(64)}`, (r) => `provider "rootly" {\n  api_token = "rootly_${r.hex(64)}"\n}`],
      negative: [
        { text: "resource \"rootly_severity\" \"sev0\" {}", reason: "a Terraform resource type" },
        { text: (r) => `rootly_${r.hex(32)}`, reason: "too short" },
      ],
    },
  },
];
