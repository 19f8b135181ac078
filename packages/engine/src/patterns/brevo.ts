import type { PatternDefinition } from "../pattern.js";

const provider = "Brevo";

export const brevoPatterns: PatternDefinition[] = [
  {
    id: "sendinblue_api_key",
    name: "Sendinblue API Key",
    provider,
    regex: "xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}",
    keywords: ["xkeysib-"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    base64: true,
    examples: {
      positive: [(r) => `BREVO_API_KEY=xkeysib-${r.hex(64)}-${r.alnum(16)}`],
      negative: [
        { text: (r) => `xkeysib-${r.hex(64)}`, reason: "the 16-character suffix is missing" },
        { text: (r) => `xkeysib-${r.alnum(64)}-${r.alnum(16)}`, reason: "the first part is hexadecimal" },
      ],
    },
  },
  {
    id: "sendinblue_smtp_key",
    name: "Sendinblue SMTP Key",
    provider,
    regex: "xsmtpsib-[a-f0-9]{64}-[A-Za-z0-9]{16}",
    keywords: ["xsmtpsib-"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `spring.mail.password: xsmtpsib-${r.hex(64)}-${r.alnum(16)}`],
      negative: [{ text: (r) => `xsmtpsib-${r.hex(40)}-${r.alnum(16)}`, reason: "too short" }],
    },
  },
];
