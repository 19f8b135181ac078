import type { PatternDefinition } from "../pattern.js";

const provider = "Onfido";

function onfidoToken(id: string, name: string, environment: "live" | "sandbox"): PatternDefinition {
  return {
    id,
    name,
    provider,
    // api_<environment>[_<region>].<11-character id>.<32-character secret>
    regex: `api_${environment}(?:_[a-z]{2})?\\.[A-Za-z0-9_-]{11}\\.[A-Za-z0-9_-]{32}`,
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: [`api_${environment}.`, `api_${environment}_`],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `ONFIDO_API_TOKEN=api_${environment}.${r.base64url(11)}.${r.base64url(32)}`, (r) => `ONFIDO_API_TOKEN=api_${environment}_us.${r.base64url(11)}.${r.base64url(32)}`],
      negative: [
        { text: `ONFIDO_API_TOKEN=api_${environment}.YOUR_TOKEN`, reason: "placeholder" },
        { text: `from api_${environment}.api.models import Item`, reason: "a module path" },
      ],
    },
  };
}

export const onfidoPatterns: PatternDefinition[] = [
  onfidoToken("onfido_live_api_token", "Onfido Live API Token", "live"),
  onfidoToken("onfido_sandbox_api_token", "Onfido Sandbox API Token", "sandbox"),
];
