import type { PatternDefinition } from "../pattern.js";

const provider = "Mailchimp";
const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,20}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const mailchimpPatterns: PatternDefinition[] = [
  {
    id: "mailchimp_api_key",
    name: "Mailchimp API Key",
    provider,
    // 32 hex digits and the account's data center: -us1 … -us21.
    regex: "[0-9a-f]{32}-us[0-9]{1,2}",
    keywords: ["-us1", "-us2", "-us3", "-us4", "-us5", "-us6", "-us7", "-us8", "-us9"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `MAILCHIMP_API_KEY=${r.hex(32)}-us${1 + (Number(r.digits(1)) % 9)}`, (r) => `mailchimp.setConfig({ apiKey: "${r.hex(32)}-us2${r.digits(1)}", server: "us2" });`],
      negative: [
        { text: (r) => `${r.hex(24)}-us6`, reason: "too short" },
        { text: (r) => `${r.hex(32)}-eu1`, reason: "not a Mailchimp data center suffix" },
      ],
    },
  },
  {
    id: "mandrill_api_key",
    name: "Mandrill API Key",
    provider,
    // Mandrill keys are 22 base64url characters: only a Mandrill name marks them.
    regex: "(?:md-)?[A-Za-z0-9_-]{22}",
    before: assigned("mandrill"),
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["mandrill"],
    mustMatch: ["[A-Z]", "[a-z]"],
    minEntropy: 3.5,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `MANDRILL_API_KEY=${r.alnum(10)}Qa${r.base64url(10)}`, (r) => `mandrill_key: "md-${r.alnum(11)}Zb${r.base64url(9)}"`],
      negative: [
        { text: "MANDRILL_HOST=smtp.mandrillapp.com", reason: "a host name" },
        { text: (r) => `api_key = "${r.alnum(22)}"`, reason: "no Mandrill name" },
      ],
    },
  },
];
