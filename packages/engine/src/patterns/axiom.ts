import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

const provider = "Axiom";
const uuid = (r: ExampleRandom): string => `${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`;

/** Axiom tokens: `xaat-` (API token) or `xapt-` (personal access token) + a UUID. Not in GitHub's list. */
function axiom(id: string, name: string, prefix: string, context: string): PatternDefinition {
  return {
    id,
    name,
    provider,
    regex: `${prefix}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`,
    keywords: [prefix],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `${context}=${prefix}${uuid(r)}`, (r) => `Authorization: Bearer ${prefix}${uuid(r)}`],
      negative: [
        { text: (r) => `${prefix}${r.hex(32)}`, reason: "a UUID without dashes" },
        { text: (r) => `${prefix}${r.hex(8)}-${r.hex(4)}`, reason: "truncated" },
      ],
    },
  };
}

export const axiomPatterns: PatternDefinition[] = [
  axiom("axiom_api_token", "Axiom API Token", "xaat-", "AXIOM_TOKEN"),
  axiom("axiom_personal_access_token", "Axiom Personal Access Token", "xapt-", "AXIOM_PERSONAL_TOKEN"),
];
