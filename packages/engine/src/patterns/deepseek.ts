import type { PatternDefinition } from "../pattern.js";

export const deepseekPatterns: PatternDefinition[] = [
  {
    id: "deepseek_api_key",
    name: "DeepSeek API Key",
    provider: "DeepSeek",
    // `sk-` + 32 hex: the prefix is shared by other providers, so the key must be assigned to a DeepSeek name.
    regex: "sk-[a-f0-9]{32}",
    before: "(?i)deepseek[\\w.-]{0,20}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    keywords: ["deepseek"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    validityCheck: true,
    examples: {
      positive: [(r) => `DEEPSEEK_API_KEY=sk-${r.hex(32)}`, (r) => `{"deepseek_api_key": "sk-${r.hex(32)}"}`],
      negative: [
        { text: (r) => `OPENAI_API_KEY=sk-${r.hex(32)}`, reason: "no DeepSeek name" },
        { text: (r) => `DEEPSEEK_API_KEY=sk-${r.hex(20)}`, reason: "too short" },
      ],
    },
  },
];
