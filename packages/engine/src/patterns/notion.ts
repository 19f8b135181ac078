import type { PatternDefinition } from "../pattern.js";

const provider = "Notion";
const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const notionPatterns: PatternDefinition[] = [
  {
    id: "notion_api_token",
    name: "Notion API Token",
    provider,
    // Current integration tokens: ntn_ + 11 digits + 35 base62 characters.
    regex: "ntn_[0-9]{11}[A-Za-z0-9]{35}",
    keywords: ["ntn_"],
    mustMatch: ["[A-Z]", "[a-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `NOTION_TOKEN=ntn_${r.digits(11)}${r.alnum(16)}Kq${r.alnum(17)}`, (r) => `const notion = new Client({ auth: "ntn_${r.digits(12)}${r.alnum(16)}Zw${r.alnum(16)}" });`],
      negative: [
        { text: "$table->string('ntn_number')->nullable();", reason: "a column name" },
        { text: (r) => `ntn_${r.digits(11)}${r.alnum(10)}`, reason: "too short" },
      ],
    },
  },
  {
    id: "notion_integration_token",
    name: "Notion Integration Token",
    provider,
    // Older integration tokens: secret_ + 43 base62 characters; `secret_` is common, so a Notion name must be near.
    regex: "secret_[A-Za-z0-9]{43}",
    before: assigned("notion"),
    keywords: ["notion"],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `NOTION_API_KEY=secret_${r.alnum(20)}Q4z${r.alnum(20)}`],
      negative: [
        { text: (r) => `client_secret = "secret_${r.alnum(43)}"`, reason: "no Notion name" },
        { text: "NOTION_API_KEY=secret_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
      ],
    },
  },
];
