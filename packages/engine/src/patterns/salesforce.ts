import type { PatternDefinition } from "../pattern.js";

const provider = "Salesforce";

export const salesforcePatterns: PatternDefinition[] = [
  {
    id: "salesforce_access_token",
    name: "Salesforce Access Token",
    provider,
    // A session id: the 15-character org id (`00D` + 12) + `!` + the session secret.
    regex: "00D[A-Za-z0-9]{12}![A-Za-z0-9._]{80,200}",
    keywords: ["00d"],
    mustMatch: ["![A-Za-z0-9._]*[A-Z]", "![A-Za-z0-9._]*[a-z]", "![A-Za-z0-9._]*[0-9]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `SF_ACCESS_TOKEN=00D${r.alnum(12)}!AQ${r.alnum(94)}`,
        (r) => `Authorization: Bearer 00D${r.alnum(12)}!AR8AQ${r.alnum(50)}.${r.alnum(40)}`,
      ],
      negative: [
        { text: (r) => `00D${r.alnum(12)}!${r.alnum(20)}`, reason: "session part too short" },
        { text: (r) => `00D${r.alnum(12)}`, reason: "an org id alone is not a secret" },
      ],
    },
  },
  {
    id: "salesforce_oauth2_consumer_key",
    name: "Salesforce OAuth2 Consumer Key",
    provider,
    // Connected-app consumer keys: `3MVG9` + 80 characters.
    regex: "3MVG9[A-Za-z0-9._]{75,90}",
    keywords: ["3mvg9"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    pair: { with: "salesforce_oauth2_consumer_secret", required: false },
    examples: {
      positive: [
        (r) => `SF_CLIENT_ID=3MVG9${r.alnum(80)}\nSF_CLIENT_SECRET=${r.chars("0123456789ABCDEF", 64)}\n`,
        (r) => `consumerKey: 3MVG9${r.alnum(40)}.${r.alnum(39)}`,
      ],
      negative: [{ text: (r) => `3MVG9${r.alnum(30)}`, reason: "too short" }],
    },
  },
  {
    id: "salesforce_oauth2_consumer_secret",
    name: "Salesforce OAuth2 Consumer Secret",
    provider,
    // 64 upper-case hex (or 19 digits in older apps): meaningful only beside a consumer key.
    regex: "[A-F0-9]{64}|[0-9]{19}",
    keywords: [],
    standalone: false,
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [],
      negative: [{ text: (r) => `secret = ${r.chars("0123456789ABCDEF", 64)}`, reason: "a consumer secret alone, without its key, is not reported" }],
    },
  },
  {
    id: "salesforce_refresh_token",
    name: "Salesforce Refresh Token",
    provider,
    // Refresh tokens begin `5Aep861`.
    regex: "5Aep861[A-Za-z0-9._]{70,100}",
    keywords: ["5aep861"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `SF_REFRESH_TOKEN=5Aep861${r.alnum(80)}`, (r) => `"refresh_token": "5Aep861${r.alnum(40)}.${r.alnum(39)}"`],
      negative: [{ text: (r) => `5Aep861${r.alnum(20)}`, reason: "too short" }],
    },
  },
];
