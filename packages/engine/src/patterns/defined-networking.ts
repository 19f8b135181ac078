import type { PatternDefinition } from "../pattern.js";

export const definedNetworkingPatterns: PatternDefinition[] = [
  {
    id: "defined_networking_nebula_api_key",
    name: "Defined Networking Managed Nebula API Key",
    provider: "Defined Networking",
    regex: "dnkey-[A-Za-z0-9=_-]{26}-[A-Za-z0-9=_-]{52}",
    after: "\\z|[^A-Za-z0-9=_-]",
    keywords: ["dnkey-"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `DN_API_KEY=dnkey-${r.alnum(26)}-${r.alnum(52)}`, (r) => `client = DefinedClient(api_key="dnkey-${r.upperAlnum(26)}-${r.alnum(52)}")`],
      negative: [
        { text: 'client = DefinedClient(api_key="dnkey-...")', reason: "elided value" },
        { text: (r) => `dnkey-${r.alnum(26)}`, reason: "the second part is missing" },
      ],
    },
  },
];
