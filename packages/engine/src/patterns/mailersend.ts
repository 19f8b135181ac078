import type { PatternDefinition } from "../pattern.js";

export const mailersendPatterns: PatternDefinition[] = [
  {
    id: "mailersend_api_token",
    name: "Mailersend API Token",
    provider: "Mailersend",
    regex: "mlsn\\.[0-9a-f]{64}",
    keywords: ["mlsn."],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `const mailerSend = new MailerSend({ apiKey: "mlsn.${r.hex(64)}" });`, (r) => `MAILERSEND_API_KEY=mlsn.${r.hex(64)}`],
      negative: [
        { text: "package tech.mlsn.app.fragment;", reason: "a package name" },
        { text: (r) => `mlsn.${r.hex(40)}`, reason: "too short" },
      ],
    },
  },
];
