import type { PatternDefinition } from "../pattern.js";

const provider = "Langchain";

function langsmithKey(id: string, name: string, kind: "pt" | "sk", variable: string): PatternDefinition {
  return {
    id,
    name,
    provider,
    // LangSmith keys: lsv2_ + pt (personal) or sk (service) + 32 hex + _ + 10 hex.
    regex: `lsv2_${kind}_[0-9a-f]{32}_[0-9a-f]{10}`,
    keywords: [`lsv2_${kind}_`],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `${variable}=lsv2_${kind}_${r.hex(32)}_${r.hex(10)}`],
      negative: [
        { text: (r) => `LANGCHAIN_API_KEY=ls__${r.hex(32)}`, reason: "legacy ls__ key, not this format" },
        { text: (r) => `lsv2_${kind}_${r.hex(20)}_${r.hex(10)}`, reason: "too short" },
      ],
    },
  };
}

export const langchainPatterns: PatternDefinition[] = [
  langsmithKey("langchain_api_personal_key", "LangSmith Personal Access Token", "pt", "LANGCHAIN_API_KEY"),
  langsmithKey("langchain_api_server_key", "LangSmith Service Key", "sk", "LANGSMITH_API_KEY"),
];
