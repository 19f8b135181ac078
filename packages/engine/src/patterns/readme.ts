import type { PatternDefinition } from "../pattern.js";

export const readmePatterns: PatternDefinition[] = [
  {
    id: "readmeio_api_access_token",
    name: "ReadMe API Key",
    provider: "ReadMe",
    // `rdme_` + 70 lower-case alphanumerics.
    regex: "rdme_[a-z0-9]{70}",
    keywords: ["rdme_"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `README_API_KEY=rdme_${r.lowerAlnum(70)}`, (r) => `rdme openapi --key "rdme_${r.lowerAlnum(70)}"`],
      negative: [
        { text: (r) => `rdme_${r.lowerAlnum(40)}`, reason: "too short" },
        { text: (r) => `rdme_${r.upper(70)}`, reason: "the body is lower case" },
      ],
    },
  },
];
