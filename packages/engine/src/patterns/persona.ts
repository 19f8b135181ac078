import type { PatternDefinition } from "../pattern.js";

const provider = "Persona Identities";

function persona(id: string, name: string, environment: "production" | "sandbox"): PatternDefinition {
  const prefix = `persona_${environment}_`;
  return {
    id,
    name,
    provider,
    // `persona_production_` / `persona_sandbox_` + a random body.
    regex: `${prefix}[A-Za-z0-9_-]{20,80}`,
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: [prefix],
    mustMatch: ["[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `PERSONA_API_KEY=${prefix}${r.lowerAlnum(31)}7`,
        (r) => `Authorization: Bearer ${prefix}${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`,
      ],
      negative: [
        { text: `PERSONA_API_KEY=${prefix}short`, reason: "too short" },
        { text: `${prefix}api_key_goes_here_for_the_demo`, reason: "words, not a random key" },
      ],
    },
  };
}

export const personaPatterns: PatternDefinition[] = [
  persona("persona_production_api_key", "Persona Production Api Key", "production"),
  persona("persona_sandbox_api_key", "Persona Sandbox Api Key", "sandbox"),
];
