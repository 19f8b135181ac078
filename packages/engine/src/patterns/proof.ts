import type { PatternDefinition } from "../pattern.js";

export const proofPatterns: PatternDefinition[] = [
  {
    id: "proof_full_access_api_key",
    name: "Proof Full Access API Key",
    provider: "Proof",
    // `prf_` (or `prf_cli_`) + a URL-safe body; `prf_test_` keys are sandbox keys, not full-access production ones.
    regex: "prf_(?:cli_)?[A-Za-z0-9_-]{20,80}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["prf_"],
    mustNotMatch: ["^prf_(?:cli_)?test_"],
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `PROOF_API_KEY=prf_${r.base64url(33)}aZ9`, (r) => `PROOF_API_KEY=prf_cli_${r.alnum(33)}Qr4`],
      negative: [
        { text: (r) => `PROOF_API_KEY=prf_test_${r.alnum(33)}aZ9`, reason: "a sandbox test key" },
        { text: "PROOF_API_KEY=prf_short", reason: "too short" },
      ],
    },
  },
];
