import type { PatternDefinition } from "../pattern.js";

export const contentfulPatterns: PatternDefinition[] = [
  {
    id: "contentful_personal_access_token",
    name: "Contentful Personal Access Token",
    provider: "Contentful",
    regex: "CFPAT-[A-Za-z0-9_-]{43}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["CFPAT-"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-${r.base64url(43)}`, (r) => `accessToken: 'CFPAT-${r.alnum(43)}',`],
      negative: [
        { text: (r) => `CFPAT-${r.alnum(20)}`, reason: "too short" },
        { text: (r) => `CFPAT-${r.alnum(50)}`, reason: "too long" },
      ],
    },
  },
];
