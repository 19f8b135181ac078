import type { PatternDefinition } from "../pattern.js";

export const chiefToolsPatterns: PatternDefinition[] = [
  {
    id: "chief_tools_token",
    name: "Chief Tools Token",
    provider: "Chief Tools",
    // docs.chief.tools: personal access tokens `ctp_`, OAuth access tokens `cto_`, refresh tokens `ctr_`.
    regex: "ct[por]_[A-Za-z0-9]{30,248}",
    keywords: ["ctp_", "cto_", "ctr_"],
    minEntropy: 3.5,
    // Random tokens mix cases and digits; long camel-case identifiers after `ctr_` do not carry digits.
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `CHIEF_TOOLS_TOKEN=ctp_${r.alnum(36)}`, (r) => `{"access_token": "cto_${r.alnum(64)}", "refresh_token": "ctr_${r.alnum(64)}"}`],
      negative: [
        { text: (r) => `ctp_${r.alnum(12)}`, reason: "too short" },
        { text: "ctr_drbg_context_initialise_with_entropy_source", reason: "an identifier: underscores, low entropy" },
        { text: "ctr_DecryptAndVerifyAuthenticationTagWithKey()", reason: "a camel-case identifier: no digits" },
      ],
    },
  },
];
