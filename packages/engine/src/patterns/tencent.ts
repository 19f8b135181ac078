import type { PatternDefinition } from "../pattern.js";

export const tencentPatterns: PatternDefinition[] = [
  {
    id: "tencent_cloud_secret_id",
    name: "Tencent Cloud Secret ID",
    provider: "Tencent",
    // SecretIds of Tencent Cloud API keys: `AKID` + 32 alphanumerics.
    regex: "AKID[A-Za-z0-9]{32}",
    keywords: ["akid"],
    mustMatch: ["[0-9]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `TENCENTCLOUD_SECRET_ID=AKID${r.alnum(31)}1\nTENCENTCLOUD_SECRET_KEY=${r.alnum(32)}\n`,
        (r) => `cred = credential.Credential("AKID${r.alnum(31)}9", secret_key)`,
      ],
      negative: [
        { text: (r) => `AKID${r.alnum(16)}`, reason: "too short" },
        { text: (r) => `AKIDS${r.alnum(40)}`, reason: "too long" },
      ],
    },
  },
];
