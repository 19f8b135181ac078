import type { PatternDefinition } from "../pattern.js";

export const sendgridPatterns: PatternDefinition[] = [
  {
    id: "sendgrid_api_key",
    name: "SendGrid API Key",
    provider: "SendGrid",
    // `SG.` + a 22-character key id + `.` + a 43-character secret, both URL-safe base64.
    regex: "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["sg."],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `SENDGRID_API_KEY=SG.${r.base64url(22)}.${r.base64url(43)}`,
        (r) => `sgMail.setApiKey("SG.${r.alnum(22)}.${r.alnum(43)}");`,
      ],
      negative: [
        { text: (r) => `SG.${r.alnum(22)}.${r.alnum(20)}`, reason: "secret part too short" },
        { text: (r) => `SG.${r.alnum(22)}${r.alnum(43)}`, reason: "no separator between id and secret" },
      ],
    },
  },
];
