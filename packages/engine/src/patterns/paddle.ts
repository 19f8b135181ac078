import type { PatternDefinition } from "../pattern.js";

const provider = "Paddle";

function paddleKey(id: string, name: string, environment: "live" | "sdbx"): PatternDefinition {
  return {
    id,
    name,
    provider,
    // pdl_<live|sdbx>_apikey_ + 26-character ULID + _ + 22 + _ + 3 characters.
    regex: `pdl_${environment}_apikey_[0-9a-z]{26}_[A-Za-z0-9]{22}_[A-Za-z0-9]{3}`,
    keywords: [`pdl_${environment}_apikey_`],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `PADDLE_API_KEY=pdl_${environment}_apikey_01${r.lowerAlnum(24)}_${r.alnum(22)}_${r.alnum(3)}`],
      negative: [
        { text: `"ApiKey": "pdl_${environment}_apikey_xxxxxxx..."`, reason: "placeholder" },
        { text: `PADDLE_API_KEY: 'pdl_${environment}_apikey_test_fixture'`, reason: "a test fixture, not the key's shape" },
      ],
    },
  };
}

export const paddlePatterns: PatternDefinition[] = [
  paddleKey("paddle_api_key", "Paddle API Key", "live"),
  paddleKey("paddle_sandbox_api_key", "Paddle Sandbox API Key", "sdbx"),
];
