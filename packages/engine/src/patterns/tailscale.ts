import type { PatternDefinition } from "../pattern.js";

export const tailscalePatterns: PatternDefinition[] = [
  {
    id: "tailscale_api_key",
    name: "Tailscale API Key",
    provider: "Tailscale",
    // `tskey-api-` + a key id + `-` + the secret.
    regex: "tskey-api-[A-Za-z0-9]{6,32}-[A-Za-z0-9]{16,64}",
    keywords: ["tskey-api-"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    validityCheck: true,
    examples: {
      positive: [(r) => `TAILSCALE_API_KEY=tskey-api-k${r.alnum(10)}CNTRL-${r.alnum(32)}`],
      negative: [
        { text: (r) => `tskey-auth-k${r.alnum(10)}CNTRL-${r.alnum(32)}`, reason: "an auth key, not an API key" },
        { text: (r) => `tskey-api-k${r.alnum(10)}CNTRL`, reason: "key id only, no secret" },
      ],
    },
  },
];
