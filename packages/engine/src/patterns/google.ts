import type { PatternDefinition } from "../pattern.js";

export const googlePatterns: PatternDefinition[] = [
  {
    id: "google_api_key",
    name: "Google API Key",
    provider: "Google",
    regex: "AIza[0-9A-Za-z_-]{35}",
    after: "\\z|[^0-9A-Za-z_-]",
    keywords: ["AIza"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `const firebaseConfig = { apiKey: "AIza${r.base64url(35)}" };`, (r) => `GOOGLE_API_KEY=AIza${r.base64url(35)}`],
      negative: [
        { text: (r) => `AIza${r.base64url(20)}`, reason: "too short" },
        { text: (r) => `AIza${r.base64url(40)}`, reason: "too long: part of a longer string" },
      ],
    },
  },
];
