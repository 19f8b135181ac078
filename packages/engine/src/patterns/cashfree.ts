import type { PatternDefinition } from "../pattern.js";

export const cashfreePatterns: PatternDefinition[] = [
  {
    id: "cashfree_api_key",
    name: "Cashfree API Key",
    provider: "Cashfree",
    // Merchant secret keys: `cfsk_ma_prod_` or `cfsk_ma_test_`, 32 hex, `_`, 8 hex.
    regex: "cfsk_ma_(?:prod|test)_[a-f0-9]{32}_[a-f0-9]{8}",
    keywords: ["cfsk_ma_"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `CASHFREE_SECRET_KEY=cfsk_ma_prod_${r.hex(32)}_${r.hex(8)}`,
        (r) => `"x-client-secret": "cfsk_ma_test_${r.hex(32)}_${r.hex(8)}"`,
      ],
      negative: [
        { text: "CASHFREE_SECRET_KEY=cfsk_ma_prod_...", reason: "elided value" },
        { text: (r) => `cfsk_ma_prod_${r.alnum(32)}_${r.alnum(8)}`, reason: "the parts are hexadecimal" },
      ],
    },
  },
];
