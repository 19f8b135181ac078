import type { PatternDefinition } from "../pattern.js";

export const groqPatterns: PatternDefinition[] = [
  {
    id: "groq_api_key",
    name: "Groq API Key",
    provider: "Groq",
    regex: "gsk_[A-Za-z0-9]{52}",
    keywords: ["gsk_"],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    base64: true,
    examples: {
      positive: [(r) => `GROQ_API_KEY=gsk_${r.alnum(20)}Wb9${r.alnum(29)}`, (r) => `client = Groq(api_key="gsk_${r.alnum(20)}aQ3${r.alnum(29)}")`],
      negative: [
        { text: (r) => `gsk_${r.alnum(30)}`, reason: "too short" },
        { text: "gsk_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
      ],
    },
  },
];
