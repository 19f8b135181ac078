import type { PatternDefinition } from "../pattern.js";

export const tableauPatterns: PatternDefinition[] = [
  {
    id: "tableau_personal_access_token",
    name: "Tableau Personal Access Token",
    provider: "Tableau",
    // The PAT secret: 16 bytes in base64 (22 characters + `==`), `:`, and 32 alphanumerics.
    regex: "[A-Za-z0-9+/]{22}==:[A-Za-z0-9]{32}",
    before: "\\A|[^A-Za-z0-9+/]",
    keywords: ["==:"],
    mustMatch: [":.*[0-9]", ":.*[A-Za-z]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `TABLEAU_PAT_NAME=ci-bot\nTABLEAU_PAT_SECRET=${r.base64(21)}A==:${r.alnum(30)}x7\n`,
        (r) => `tableau_auth = TSC.PersonalAccessTokenAuth("ci", "${r.alnum(21)}g==:${r.alnum(30)}Q2", site_id="")`,
      ],
      negative: [
        { text: (r) => `${r.base64(21)}A==:${r.alnum(12)}`, reason: "secret part too short" },
        { text: (r) => `${r.base64(10)}==:${r.alnum(32)}`, reason: "the base64 part is not 16 bytes" },
      ],
    },
  },
];
