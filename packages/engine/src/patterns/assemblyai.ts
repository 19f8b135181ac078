import type { PatternDefinition } from "../pattern.js";

export const assemblyaiPatterns: PatternDefinition[] = [
  {
    id: "assemblyai_api_key",
    name: "AssemblyAI API Key",
    provider: "AssemblyAI",
    // 32 hex digits with no prefix: only where assigned to an AssemblyAI name. Not in GitHub's list.
    regex: "[a-f0-9]{32}",
    before: "(?i)assembly_?ai[\\w.-]{0,24}[\\s'\"]{0,3}(?:=|:|=>|:=|\\()[\\s'\"]{0,5}",
    keywords: ["assemblyai", "assembly_ai"],
    mustMatch: ["[0-9]", "[a-f]"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `ASSEMBLYAI_API_KEY=${r.hex(32)}`, (r) => `assemblyai_key: "${r.hex(32)}"`],
      negative: [
        { text: (r) => `api_key = "${r.hex(32)}"`, reason: "no AssemblyAI name" },
        { text: (r) => `ASSEMBLYAI_API_KEY=${r.hex(20)}`, reason: "too short" },
      ],
    },
  },
];
