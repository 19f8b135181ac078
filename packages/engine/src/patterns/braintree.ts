import type { PatternDefinition } from "../pattern.js";

export const braintreePatterns: PatternDefinition[] = [
  {
    id: "braintree_access_token",
    name: "Braintree Access Token",
    provider: "Braintree",
    // PayPal Braintree: `access_token$<environment>$<merchant id>$<32 hex>`. Not in GitHub's list.
    regex: "access_token\\$(?:production|sandbox)\\$[0-9a-z]{16}\\$[0-9a-f]{32}",
    keywords: ["access_token$production$", "access_token$sandbox$"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `BRAINTREE_ACCESS_TOKEN=access_token$production$${r.lowerAlnum(16)}$${r.hex(32)}`,
        (r) => `gateway = braintree.BraintreeGateway(access_token="access_token$sandbox$${r.lowerAlnum(16)}$${r.hex(32)}")`,
      ],
      negative: [
        { text: (r) => `access_token$staging$${r.lowerAlnum(16)}$${r.hex(32)}`, reason: "not a Braintree environment" },
        { text: (r) => `access_token$sandbox$${r.lowerAlnum(16)}$${r.hex(10)}`, reason: "secret part too short" },
      ],
    },
  },
];
