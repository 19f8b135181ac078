import type { PatternDefinition } from "../pattern.js";

export const elevenlabsPatterns: PatternDefinition[] = [
  {
    id: "elevenlabs_api_key",
    name: "ElevenLabs API Key",
    provider: "ElevenLabs",
    // `sk_` + 48 hex digits (the `xi-api-key` header). Not in GitHub's list.
    regex: "sk_[a-f0-9]{48}",
    keywords: ["sk_"],
    mustMatch: ["[0-9]", "[a-f]"],
    minEntropy: 3.3,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `ELEVENLABS_API_KEY=sk_${r.hex(46)}a1`,
        (r) => `client = ElevenLabs(api_key="sk_${r.hex(20)}f7${r.hex(26)}")`,
      ],
      negative: [
        { text: (r) => `sk_${r.hex(32)}`, reason: "too short" },
        { text: (r) => `sk_live_${r.alnum(24)}`, reason: "another provider's prefix (Stripe)" },
      ],
    },
  },
];
