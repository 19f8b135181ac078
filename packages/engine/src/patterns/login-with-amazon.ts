import type { PatternDefinition } from "../pattern.js";

const provider = "Login with Amazon";

export const loginWithAmazonPatterns: PatternDefinition[] = [
  {
    id: "amazon_oauth_client_id",
    name: "Login with Amazon OAuth Client ID",
    provider,
    regex: "amzn1\\.application-oa2-client\\.[0-9a-f]{32}",
    keywords: ["amzn1.application-oa2-client."],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    // A client id is public; GitHub reports it with its client secret.
    pair: { with: "amazon_oauth_client_secret", required: true },
    examples: {
      positive: [
        (r) => `LWA_CLIENT_ID=amzn1.application-oa2-client.${r.hex(32)}\nLWA_CLIENT_SECRET=amzn1.oa2-cs.v1.${r.hex(64)}\n`,
      ],
      negative: [{ text: (r) => `client_id: amzn1.application-oa2-client.${r.hex(32)}`, reason: "a client id alone is public" }],
    },
  },
  {
    id: "amazon_oauth_client_secret",
    name: "Login with Amazon OAuth Client Secret",
    provider,
    regex: "amzn1\\.oa2-cs\\.v1\\.[0-9a-f]{64}",
    keywords: ["amzn1.oa2-cs.v1."],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `lwa_client_secret='amzn1.oa2-cs.v1.${r.hex(64)}'`],
      negative: [
        { text: "LWA_CLIENT_SECRET=amzn1.oa2-cs.v1.xxxxx", reason: "placeholder" },
        { text: (r) => `amzn1.oa2-cs.v1.${r.hex(40)}`, reason: "too short" },
      ],
    },
  },
];
