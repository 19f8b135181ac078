import type { PatternDefinition } from "../pattern.js";

export const xaiPatterns: PatternDefinition[] = [
  {
    id: "xai_api_key",
    name: "xAI API Key",
    provider: "xAI",
    // `xai-` + 80 alphanumerics.
    regex: "xai-[A-Za-z0-9]{80}",
    keywords: ["xai-"],
    minEntropy: 4.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `XAI_API_KEY=xai-${r.alnum(80)}`, (r) => `client = OpenAI(api_key="xai-${r.alnum(80)}", base_url="https://api.x.ai/v1")`],
      negative: [
        { text: (r) => `xai-${r.alnum(40)}`, reason: "too short" },
        { text: "model: xai-grok-beta", reason: "a model name, not a key" },
      ],
    },
  },
];
