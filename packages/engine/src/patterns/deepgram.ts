import type { PatternDefinition } from "../pattern.js";

export const deepgramPatterns: PatternDefinition[] = [
  {
    id: "deepgram_api_key",
    name: "Deepgram API Key",
    provider: "Deepgram",
    // 40 hex digits with no prefix: only where assigned to a Deepgram name. Not in GitHub's list.
    regex: "[a-f0-9]{40}",
    before: "(?i)deepgram[\\w.-]{0,24}[\\s'\"]{0,3}(?:=|:|=>|:=|\\()[\\s'\"]{0,5}",
    keywords: ["deepgram"],
    mustMatch: ["[0-9]", "[a-f]"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `DEEPGRAM_API_KEY=${r.hex(40)}`, (r) => `deepgram = DeepgramClient("${r.hex(40)}")`],
      negative: [
        { text: (r) => `commit = "${r.hex(40)}"`, reason: "no Deepgram name: a git object id" },
        { text: (r) => `DEEPGRAM_API_KEY=${r.hex(24)}`, reason: "too short" },
      ],
    },
  },
];
