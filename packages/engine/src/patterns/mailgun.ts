import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=|,)[\\s'"]{0,5}`;

export const mailgunPatterns: PatternDefinition[] = [
  {
    id: "mailgun_api_key",
    name: "Mailgun API Key",
    provider: "Mailgun",
    // Private API keys: key- + 32 hex (older), or 32 hex - 8 hex - 8 hex (current).
    regex: "key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}",
    before: assigned("mailgun|mg_api|mg_key"),
    keywords: ["mailgun", "mg_api", "mg_key"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `MAILGUN_API_KEY=key-${r.hex(32)}`,
        (r) => `mailgun_key: "${r.hex(32)}-${r.hex(8)}-${r.hex(8)}"`,
      ],
      negative: [
        { text: (r) => `MAILGUN_PUBLIC_KEY=pubkey-${r.hex(32)}`, reason: "a public validation key" },
        { text: (r) => `cache_key = "key-${r.hex(32)}"`, reason: "no Mailgun name" },
      ],
    },
  },
];
