import type { PatternDefinition } from "../pattern.js";

export const runpodPatterns: PatternDefinition[] = [
  {
    id: "runpod_api_key",
    name: "RunPod API Key",
    provider: "RunPod",
    // `rpa_` + 40 upper-case alphanumerics + a 6-character tail (redirect.pizza's `rpa_` tokens are 30 mixed-case characters).
    regex: "rpa_[A-Z0-9]{40}[A-Za-z0-9]{6}",
    keywords: ["rpa_"],
    mustMatch: ["[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `RUNPOD_API_KEY=rpa_${r.upperAlnum(39)}7${r.alnum(6)}`, (r) => `runpod.api_key = "rpa_${r.upperAlnum(39)}2${r.alnum(6)}"`],
      negative: [
        { text: (r) => `rpa_${r.alnum(30)}`, reason: "a redirect.pizza token shape" },
        { text: (r) => `rpa_${r.upperAlnum(20)}`, reason: "too short" },
      ],
    },
  },
];
