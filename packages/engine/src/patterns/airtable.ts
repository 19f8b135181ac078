import type { PatternDefinition } from "../pattern.js";

const provider = "Airtable";

export const airtablePatterns: PatternDefinition[] = [
  {
    id: "airtable_api_key",
    name: "Airtable API Key",
    provider,
    // Deprecated user API keys: `key` + 14 alphanumerics. Too short to stand alone: only where assigned to an Airtable name.
    regex: "key[A-Za-z0-9]{14}",
    before: "(?i)airtable[\\w.-]{0,24}[\\s'\"]{0,3}(?:=|:|=>|:=|\\()[\\s'\"]{0,5}",
    keywords: ["airtable"],
    mustMatch: ["[0-9]", "[A-Z]"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    // GitHub's push protection covers this type, but Vigil recognises it only by a nearby name (its shape is generic):
    // not proof enough to block a push. Reported, never blocking (a catalog test holds every low-confidence pattern to this).
    pushProtection: false,
    examples: {
      positive: [
        (r) => `AIRTABLE_API_KEY=key${r.alnum(11)}X7q`,
        (r) => `const airtableKey = "key${r.alnum(10)}5Tb${r.alnum(1)}";`,
      ],
      negative: [
        {
          text: (r) => `api_key = "key${r.alnum(11)}X7q"`,
          reason: "no Airtable name: `key` + 14 characters is not distinctive",
        },
        {
          text: (r) => `AIRTABLE_API_KEY=pat${r.alnum(14)}`,
          reason: "not the key format (a truncated personal access token)",
        },
      ],
    },
  },
  {
    id: "airtable_personal_access_token",
    name: "Airtable Personal Access Token",
    provider,
    // `pat` + 14-character token id + `.` + 64 hex digits.
    regex: "pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}",
    keywords: ["pat"],
    mustMatch: ["\\.[a-f0-9]*[0-9][a-f0-9]*$"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `AIRTABLE_TOKEN=pat${r.alnum(14)}.${r.hex(64)}`,
        (r) => `Authorization: Bearer pat${r.alnum(14)}.${r.hex(64)}`,
      ],
      negative: [
        { text: (r) => `pat${r.alnum(14)}.${r.hex(32)}`, reason: "too short" },
        { text: (r) => `pat${r.alnum(10)}.${r.hex(64)}`, reason: "the token id is 14 characters" },
      ],
    },
  },
];
