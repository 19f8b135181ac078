import type { PatternDefinition } from "../pattern.js";

const provider = "PlanetScale";

/** PlanetScale credentials: `pscale_<kind>_` + a URL-safe random body (43 characters today). */
function planetscale(id: string, name: string, kind: string, context: string): PatternDefinition {
  const prefix = `pscale_${kind}_`;
  return {
    id,
    name,
    provider,
    regex: `${prefix}[A-Za-z0-9_-]{32,64}`,
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: [prefix],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `${context}=${prefix}${r.base64url(43)}`, (r) => `  "${context.toLowerCase()}": "${prefix}${r.alnum(43)}",`],
      negative: [
        { text: (r) => `${prefix}${r.alnum(12)}`, reason: "too short" },
        { text: (r) => `x${prefix}${r.alnum(43)}`, reason: "prefix inside a longer identifier" },
      ],
    },
  };
}

export const planetscalePatterns: PatternDefinition[] = [
  planetscale("planetscale_database_password", "PlanetScale Database Password", "pw", "DATABASE_PASSWORD"),
  planetscale("planetscale_oauth_token", "PlanetScale OAuth Token", "oauth", "PLANETSCALE_OAUTH_TOKEN"),
  planetscale("planetscale_service_token", "PlanetScale Service Token", "tkn", "PLANETSCALE_SERVICE_TOKEN"),
];
