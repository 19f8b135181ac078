import type { PatternDefinition } from "../pattern.js";

const provider = "Aikido";

export const aikidoPatterns: PatternDefinition[] = [
  {
    id: "aikido_api_client_secret",
    name: "Aikido API Client Secret",
    provider,
    // Public API OAuth client secrets: `AIK_SECRET_` + 64 alphanumerics (the client id is `AIK_CLIENT_` + 24).
    regex: "AIK_SECRET_[A-Za-z0-9]{64}",
    keywords: ["AIK_SECRET_"],
    mustMatch: ["[0-9]", "[a-z]", "[A-Z]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `AIKIDO_CLIENT_SECRET=AIK_SECRET_${r.alnum(60)}aB3x`,
        (r) => `clientSecret: 'AIK_SECRET_${r.alnum(30)}Z9q${r.alnum(31)}'`,
      ],
      negative: [
        { text: (r) => `AIK_CLIENT_${r.alnum(24)}`, reason: "a client id, not the secret" },
        { text: (r) => `AIK_SECRET_${r.alnum(32)}`, reason: "too short" },
      ],
    },
  },
  {
    id: "aikido_ci_scanning_token",
    name: "Aikido CI Scanning Token",
    provider,
    // CI API tokens (the `X-AIK-API-SECRET` header): `AIK_CI_` + alphanumerics.
    regex: "AIK_CI_[A-Za-z0-9]{20,64}",
    keywords: ["AIK_CI_"],
    mustMatch: ["[0-9]", "[A-Za-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `AIKIDO_API_KEY: AIK_CI_${r.alnum(40)}7a${r.alnum(2)}`,
        (r) => `--apikey AIK_CI_${r.alnum(28)}Qm4${r.alnum(9)}`,
      ],
      negative: [
        { text: (r) => `AIK_CI_${r.alnum(8)}`, reason: "too short" },
        { text: "AIK_CI_TOKEN_ENVIRONMENT_VARIABLE_NAME", reason: "a name, not a token: no digits" },
      ],
    },
  },
];
