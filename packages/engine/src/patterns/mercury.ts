import type { PatternDefinition } from "../pattern.js";

const provider = "Mercury";

function mercuryToken(id: string, name: string, environment: string): PatternDefinition {
  return {
    id,
    name,
    provider,
    // secret-token:mercury_<environment>_<3-letter kind>_<random>_yrucrem ("mercury" reversed closes it).
    regex: `(?:secret-token:)?mercury_${environment}_[a-z]{3}_[A-Za-z0-9]{30,60}_yrucrem`,
    keywords: [`mercury_${environment}_`],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `MERCURY_API_TOKEN=secret-token:mercury_${environment}_wma_${r.alnum(45)}_yrucrem`],
      negative: [
        { text: `MERCURY_API_TOKEN=secret-token:mercury_${environment}_...`, reason: "elided" },
        { text: (r) => `mercury_${environment}_rma_${r.alnum(45)}`, reason: "no closing _yrucrem" },
      ],
    },
  };
}

export const mercuryPatterns: PatternDefinition[] = [
  mercuryToken("mercury_non_production_api_token", "Mercury Non-Production API Token", "sandbox"),
  mercuryToken("mercury_production_api_token", "Mercury Production API Token", "production"),
];
