import type { PatternDefinition } from "../pattern.js";

const provider = "Linear";

export const linearPatterns: PatternDefinition[] = [
  {
    id: "linear_api_key",
    name: "Linear API Key",
    provider,
    regex: "lin_api_[A-Za-z0-9]{40}",
    keywords: ["lin_api_"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `LINEAR_API_KEY=lin_api_${r.alnum(40)}`, (r) => `const linear = new LinearClient({ apiKey: "lin_api_${r.alnum(40)}" });`],
      negative: [
        { text: (r) => `lin_api_${r.alnum(20)}`, reason: "too short" },
        { text: "lin_api_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
      ],
    },
  },
  {
    id: "linear_oauth_access_token",
    name: "Linear OAuth Access Token",
    provider,
    regex: "lin_oauth_[0-9a-f]{64}",
    keywords: ["lin_oauth_"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `{"accessToken": "lin_oauth_${r.hex(64)}"}`],
      negative: [
        { text: "lin_oauth_secret", reason: "a test value, not a token" },
        { text: (r) => `lin_oauth_${r.hex(40)}`, reason: "too short" },
      ],
    },
  },
];
