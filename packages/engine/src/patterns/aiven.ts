import type { PatternDefinition } from "../pattern.js";

const provider = "Aiven";

export const aivenPatterns: PatternDefinition[] = [
  {
    id: "aiven_auth_token",
    name: "Aiven Auth Token",
    provider,
    // API authentication tokens are 372 base64 characters with no prefix: only where assigned to an Aiven name.
    regex: "[A-Za-z0-9+/]{370}[A-Za-z0-9+/=]{2}",
    before: "(?i)aiven[\\w.-]{0,24}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    after: "\\z|[^A-Za-z0-9+/=]",
    keywords: ["aiven"],
    window: { before: 64, after: 512 },
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    minEntropy: 4.5,
    confidence: "low",
    category: "provider",
    // GitHub's push protection covers this type, but Vigil recognises it only by a nearby name (its shape is generic):
    // not proof enough to block a push. Reported, never blocking (a catalog test holds every low-confidence pattern to this).
    pushProtection: false,
    examples: {
      positive: [(r) => `AIVEN_API_TOKEN=${r.base64(370)}==`, (r) => `aiven_token: "${r.base64(371)}="`],
      negative: [
        { text: (r) => `AIVEN_API_TOKEN=${r.base64(120)}`, reason: "too short" },
        {
          text: (r) => `api_token = "${r.base64(370)}=="`,
          reason: "no Aiven name: a long base64 value alone is not distinctive",
        },
      ],
    },
  },
  {
    id: "aiven_service_password",
    name: "Aiven Service Password",
    provider,
    // Generated service (database user) passwords: `AVNS_` + 19 characters.
    regex: "AVNS_[A-Za-z0-9_-]{19}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["AVNS_"],
    mustMatch: ["[0-9A-Z]", "[a-z]"],
    minEntropy: 3.3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `DB_PASSWORD=AVNS_${r.alnum(16)}x9Q`,
        (r) =>
          `jdbc:mysql://mysql-${r.hex(8)}.aivencloud.com:12741/defaultdb?user=avnadmin&password=AVNS_${r.base64url(15)}Ab3k`,
      ],
      negative: [
        { text: (r) => `AVNS_${r.alnum(8)}`, reason: "too short" },
        { text: "AVNS_XXXXXXXXXXXXXXXXXXX", reason: "placeholder" },
      ],
    },
  },
];
