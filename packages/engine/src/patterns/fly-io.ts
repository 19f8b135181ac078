import type { PatternDefinition } from "../pattern.js";

export const flyIoPatterns: PatternDefinition[] = [
  {
    id: "flyio_access_token",
    name: "Fly.io Access Token",
    provider: "Fly.io",
    // fly.io/docs/security/tokens: OAuth tokens `fo1_` + 43 base64url; macaroon tokens `fm1a_`, `fm1r_`, `fm2_`
    // + base64 (often behind `FlyV1 `, several comma-separated).
    regex: "fo1_[A-Za-z0-9_-]{43}|fm1[ar]_[A-Za-z0-9+/]{100,1000}={0,3}|fm2_[A-Za-z0-9+/]{100,1000}={0,3}",
    after: "\\z|[^A-Za-z0-9_+/=-]",
    keywords: ["fo1_", "fm1a_", "fm1r_", "fm2_"],
    window: { before: 64, after: 1100 },
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `FLY_API_TOKEN=fo1_${r.base64url(43)}`, (r) => `FLY_API_TOKEN="FlyV1 fm2_lJPE${r.base64(240)}=="`],
      negative: [
        { text: 'api_key = "fo1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"', reason: "placeholder" },
        { text: (r) => `value="7SWa-Fo1_${r.alnum(40)}"`, reason: "the prefix is inside a longer value" },
      ],
    },
  },
];
