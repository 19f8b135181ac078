import type { PatternDefinition } from "../pattern.js";

/** `a-z2-7`: the lower-case base32 alphabet of Checkout.com's keys; the last character may also be `* # $ =`. */
const base32 = "abcdefghijklmnopqrstuvwxyz234567";

export const checkoutComPatterns: PatternDefinition[] = [
  {
    id: "checkout_test_secret_key",
    name: "Checkout.com Test Secret Key",
    provider: "Checkout.com",
    // Sandbox keys: `sk_sbox_` + 27 base32 characters (current accounts) or `sk_test_` + a UUID (legacy accounts).
    regex: "sk_sbox_[a-z2-7]{26}[a-z2-7*#$=]|sk_test_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    keywords: ["sk_sbox_", "sk_test_"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `CKO_SECRET_KEY=sk_sbox_${r.chars(base32, 27)}`,
        (r) => `const cko = new Checkout('sk_test_${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-8${r.hex(3)}-${r.hex(12)}');`,
      ],
      negative: [
        { text: "new Checkout('sk_sbox_XXX', { pk: 'pk_sbox_XXX' })", reason: "placeholder" },
        { text: (r) => `sk_sbox_${r.chars(base32, 20)}`, reason: "too short" },
        { text: (r) => `sk_sbox_${r.upper(27)}`, reason: "keys are lower case" },
      ],
    },
  },
];
