import type { PatternDefinition } from "../pattern.js";

export const openaiPatterns: PatternDefinition[] = [
  {
    id: "openai_api_key",
    name: "OpenAI API Key",
    provider: "OpenAI",
    // Every OpenAI key carries T3BlbkFJ (base64 of "OpenAI") in its middle: sk-<20>T3BlbkFJ<20> (legacy),
    // sk-proj- / sk-svcacct- / sk-admin- + 58 or 74 + T3BlbkFJ + 58 or 74 (current).
    regex:
      "sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["t3blbkfj"],
    window: { before: 96, after: 96 },
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `OPENAI_API_KEY=sk-proj-${r.base64url(74)}T3BlbkFJ${r.base64url(74)}`,
        (r) => `openai.api_key = "sk-${r.alnum(20)}T3BlbkFJ${r.alnum(20)}"`,
        (r) => `{"key": "sk-admin-${r.base64url(58)}T3BlbkFJ${r.base64url(58)}"}`,
      ],
      negative: [
        { text: (r) => `sk-${r.alnum(48)}`, reason: "no T3BlbkFJ marker" },
        { text: (r) => `sk-proj-${r.base64url(30)}T3BlbkFJ${r.base64url(30)}`, reason: "wrong length" },
      ],
    },
  },
];
