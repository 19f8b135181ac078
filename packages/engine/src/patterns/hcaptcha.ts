import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,20}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const hcaptchaPatterns: PatternDefinition[] = [
  {
    id: "hcaptcha_siteverify_secret",
    name: "hCaptcha Siteverify Secret",
    provider: "hCaptcha",
    // 0x and 40 hex digits: shaped like an Ethereum address, so only an hCaptcha name marks it.
    regex: "0x[0-9a-fA-F]{40}",
    before: assigned("hcaptcha"),
    keywords: ["hcaptcha"],
    mustNotMatch: ["^0x0{40}$"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    // GitHub's push protection covers this type, but Vigil recognises it only by a nearby name (its shape is generic):
    // not proof enough to block a push. Reported, never blocking (a catalog test holds every low-confidence pattern to this).
    pushProtection: false,
    examples: {
      positive: [(r) => `HCAPTCHA_SECRET=0x${r.hex(40)}`, (r) => `hcaptcha_secret_key: "0x${r.hex(40)}"`],
      negative: [
        {
          text: "HCAPTCHA_SECRET=0x0000000000000000000000000000000000000000",
          reason: "hCaptcha's published test secret",
        },
        { text: (r) => `wallet = "0x${r.hex(40)}"`, reason: "no hCaptcha name: an Ethereum address" },
      ],
    },
  },
];
