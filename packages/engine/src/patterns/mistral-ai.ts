import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,20}(?:\\(\\s*\\w{0,12})?[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const mistralAiPatterns: PatternDefinition[] = [
  {
    id: "mistral_ai_api_key",
    name: "Mistral AI API Key",
    provider: "Mistral AI",
    // 32 base62 characters with no prefix: only a Mistral name marks them.
    regex: "[A-Za-z0-9]{32}",
    before: assigned("mistral"),
    keywords: ["mistral"],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 3.5,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `MISTRAL_API_KEY=${r.alnum(15)}k8R${r.alnum(14)}`, (r) => `client = Mistral(api_key="${r.alnum(15)}Wd2${r.alnum(14)}")`],
      negative: [
        { text: "MISTRAL_MODEL=mistrallargelatestinstructmodelvv", reason: "a model name" },
        { text: (r) => `api_key = "${r.alnum(32)}"`, reason: "no Mistral name" },
      ],
    },
  },
];
