import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

const uuid = (r: ExampleRandom): string => `${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`;

export const plaidPatterns: PatternDefinition[] = [
  {
    id: "plaid_access_token",
    name: "Plaid Access Token",
    provider: "Plaid",
    // Item access tokens: `access-<environment>-` + a UUID. Not in GitHub's list.
    regex: "access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    keywords: ["access-sandbox-", "access-development-", "access-production-"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `PLAID_ACCESS_TOKEN=access-production-${uuid(r)}`, (r) => `{"access_token": "access-sandbox-${uuid(r)}", "item_id": "${r.alnum(37)}"}`],
      negative: [
        { text: (r) => `access-staging-${uuid(r)}`, reason: "not a Plaid environment" },
        { text: (r) => `public-sandbox-${uuid(r)}`, reason: "a short-lived public token, not an access token" },
      ],
    },
  },
];
