import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=|\\s)[\\s'"]{0,5}`;

export const octopusDeployPatterns: PatternDefinition[] = [
  {
    id: "octopus_deploy_api_key",
    name: "Octopus Deploy API Key",
    provider: "Octopus Deploy",
    // API- and upper-case base32 characters; `api-` is everywhere, so an Octopus name must be near.
    regex: "API-[A-Z0-9]{25,32}",
    before: assigned("octopus|octo"),
    keywords: ["octopus", "octo_", "octo "],
    mustMatch: ["[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `OCTOPUS_API_KEY=API-${r.upperAlnum(12)}7${r.upperAlnum(14)}`, (r) => `$env:OCTOPUS_CLI_API_KEY = "API-${r.upperAlnum(12)}4${r.upperAlnum(14)}"`],
      negative: [
        { text: "OCTOPUS_API_KEY=API-XXXXXXXXXXXXXXXXXXXXXXXXXX", reason: "placeholder" },
        { text: (r) => `header = "API-${r.upperAlnum(27)}"`, reason: "no Octopus name" },
      ],
    },
  },
];
