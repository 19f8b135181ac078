import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const localstackPatterns: PatternDefinition[] = [
  {
    id: "localstack_api_key",
    name: "Localstack API Key",
    provider: "Localstack",
    // Auth tokens: ls- and five UUID-shaped groups of base62 characters; `ls-` alone is common, so a LocalStack name must be near.
    regex: "ls-[A-Za-z0-9]{8}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{12}",
    before: assigned("localstack"),
    keywords: ["localstack"],
    mustMatch: ["[0-9]", "[A-Z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `LOCALSTACK_AUTH_TOKEN=ls-${r.alnum(6)}Qa-${r.alnum(4)}-${r.alnum(4)}-${r.alnum(4)}-${r.alnum(8)}7${r.hex(3)}`,
        (r) => `docker run -e LOCALSTACK_AUTH_TOKEN=ls-${r.alnum(6)}Zb-${r.alnum(4)}-${r.alnum(4)}-${r.alnum(4)}-${r.alnum(8)}3${r.hex(3)} localstack/localstack`,
      ],
      negative: [
        { text: "LOCALSTACK_AUTH_TOKEN=ls-xxxxxxxx", reason: "placeholder" },
        { text: (r) => `TOKEN=ls-${r.alnum(8)}-${r.alnum(4)}-${r.alnum(4)}-${r.alnum(4)}-${r.alnum(12)}`, reason: "no LocalStack name" },
      ],
    },
  },
];
