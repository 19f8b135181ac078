import type { PatternDefinition } from "../pattern.js";

const provider = "Stripe";

function stripeKey(id: string, name: string, prefix: string, pushProtection: boolean, validityCheck = false): PatternDefinition {
  return {
    id,
    name,
    provider,
    regex: `${prefix}[0-9a-zA-Z]{24,247}`,
    keywords: [prefix],
    // WorkOS keys share the `sk_live_` / `sk_test_` prefix; theirs are base64 of `key_…` (see workos.ts).
    mustNotMatch: ["^[rs]k_(?:live|test)_a2V5X"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection,
    validityCheck,
    examples: {
      positive: [(r) => `STRIPE_KEY=${prefix}${r.alnum(24)}`, (r) => `Stripe.apiKey = "${prefix}${r.alnum(99)}";`],
      negative: [
        { text: (r) => `${prefix}${r.alnum(12)}`, reason: "too short" },
        { text: `${prefix}xxxxxxxxxxxxxxxxxxxxxxxx`, reason: "placeholder" },
      ],
    },
  };
}

export const stripePatterns: PatternDefinition[] = [
  stripeKey("stripe_api_key", "Stripe API Key", "sk_live_", true, true),
  stripeKey("stripe_live_restricted_key", "Stripe Live API Restricted Key", "rk_live_", true),
  stripeKey("stripe_test_restricted_key", "Stripe Test API Restricted Key", "rk_test_", true),
  stripeKey("stripe_test_secret_key", "Stripe Test API Secret Key", "sk_test_", true, true),
  {
    id: "stripe_webhook_signing_secret",
    name: "Stripe Webhook Signing Secret",
    provider,
    regex: "whsec_[A-Za-z0-9+/]{32,64}",
    keywords: ["whsec_"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `STRIPE_WEBHOOK_SECRET=whsec_${r.alnum(32)}`],
      negative: [{ text: (r) => `whsec_${r.alnum(10)}`, reason: "too short" }],
    },
  },
];
