import type { PatternDefinition } from "../pattern.js";

const provider = "Plivo";

export const plivoPatterns: PatternDefinition[] = [
  {
    id: "plivo_auth_id",
    name: "Plivo Auth ID",
    provider,
    // Auth IDs: `MA` (account) or `SA` (subaccount) + 18 upper-case alphanumerics; reported with the auth token beside it.
    regex: "[MS]A[A-Z0-9]{18}",
    keywords: ["plivo"],
    mustMatch: ["[0-9]"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    pair: { with: "plivo_auth_token", required: true },
    examples: {
      positive: [(r) => `PLIVO_AUTH_ID=MA${r.upperAlnum(17)}7\nPLIVO_AUTH_TOKEN=${r.alnum(38)}Zz\n`],
      negative: [
        { text: (r) => `PLIVO_AUTH_ID=MA${r.upperAlnum(17)}7`, reason: "an auth id alone, without its token" },
        { text: (r) => `PLIVO_AUTH_ID=XA${r.upperAlnum(17)}7\nPLIVO_AUTH_TOKEN=${r.alnum(38)}Zz`, reason: "not an auth id prefix" },
      ],
    },
  },
  {
    id: "plivo_auth_token",
    name: "Plivo Auth Token",
    provider,
    regex: "[A-Za-z0-9]{40}",
    keywords: [],
    standalone: false,
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [],
      negative: [{ text: (r) => `token = ${r.alnum(40)}`, reason: "an auth token alone, without its auth id, is not reported" }],
    },
  },
];
