import type { PatternDefinition } from "../pattern.js";

export const netlifyPatterns: PatternDefinition[] = [
  {
    id: "netlify_personal_access_token",
    name: "Netlify Personal Access Token",
    provider: "Netlify",
    // Personal access tokens (NETLIFY_AUTH_TOKEN): `nfp_` + 36 alphanumerics.
    regex: "nfp_[A-Za-z0-9]{36}",
    keywords: ["nfp_"],
    minEntropy: 3.8,
    mustMatch: ["[0-9]", "[A-Za-z]"],
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `NETLIFY_AUTH_TOKEN=nfp_${r.alnum(32)}${r.digits(4)}`, (r) => `netlify deploy --prod --auth "nfp_${r.alnum(30)}7${r.alnum(5)}"`],
      negative: [
        { text: "NETLIFY_AUTH_TOKEN=nfp_YOUR_TOKEN_HERE", reason: "placeholder" },
        { text: (r) => `nfp_${r.alnum(20)}`, reason: "too short" },
      ],
    },
  },
];
