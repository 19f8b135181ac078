import type { PatternDefinition } from "../pattern.js";

export const openrouterPatterns: PatternDefinition[] = [
  {
    id: "openrouter_api_key",
    name: "OpenRouter API Key",
    provider: "OpenRouter",
    regex: "sk-or-v1-[0-9a-f]{64}",
    keywords: ["sk-or-v1-"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `OPENROUTER_API_KEY=sk-or-v1-${r.hex(64)}`, (r) => `client = OpenAI(base_url="https://openrouter.ai/api/v1", api_key="sk-or-v1-${r.hex(64)}")`],
      negative: [
        { text: "OPENROUTER_API_KEY=sk-or-v1-...", reason: "elided" },
        { text: (r) => `sk-or-v1-${r.hex(40)}`, reason: "too short" },
      ],
    },
  },
];
