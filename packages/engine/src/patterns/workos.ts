import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

const provider = "WorkOS";
const ULID = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A WorkOS API key is `sk_test_` / `sk_live_` + unpadded base64 of `key_<ULID>,<secret>` (hence `a2V5X`, base64 of `key_`). */
export function isWorkosApiKey(secret: string): boolean {
  const decoded = Buffer.from(secret.replace(/^sk_(?:live|test)_/, ""), "base64").toString("latin1");
  return /^key_[0-9A-Z]{26},[A-Za-z0-9]{16,}/.test(decoded);
}

function apiKey(mode: "live" | "test", random: ExampleRandom): string {
  const body = Buffer.from(`key_01${random.chars(ULID, 24)},${random.alnum(25)}`).toString("base64").replace(/=+$/, "");
  return `sk_${mode}_${body}`;
}

function workos(id: string, name: string, mode: "live" | "test", context: string): PatternDefinition {
  return {
    id,
    name,
    provider,
    regex: `sk_${mode}_a2V5X[A-Za-z0-9+/]{40,200}`,
    after: "\\z|[^A-Za-z0-9+/=]",
    keywords: [`sk_${mode}_a2v5x`],
    validate: isWorkosApiKey,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `${context}=${apiKey(mode, r)}`, (r) => `const workos = new WorkOS("${apiKey(mode, r)}");`],
      negative: [
        { text: (r) => `sk_${mode}_a2V5X${r.alnum(60)}`, reason: "does not decode to a WorkOS key id and secret" },
        { text: (r) => `sk_${mode}_51${r.alnum(97)}`, reason: "a Stripe key, not a WorkOS one" },
      ],
    },
  };
}

export const workosPatterns: PatternDefinition[] = [
  workos("workos_production_api_key", "WorkOS Production API Key", "live", "WORKOS_API_KEY"),
  workos("workos_staging_api_key", "WorkOS Staging API Key", "test", "WORKOS_API_KEY"),
];
