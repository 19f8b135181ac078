import type { PatternDefinition } from "../pattern.js";

const provider = "Alibaba";

export const alibabaPatterns: PatternDefinition[] = [
  {
    id: "alibaba_cloud_access_key_id",
    name: "Alibaba Cloud AccessKey ID",
    provider,
    // `LTAI` + 12 to 20 alphanumerics (older ids are shorter). Reported with its secret when the secret is in the same file.
    regex: "LTAI[A-Za-z0-9]{12,20}",
    keywords: ["LTAI"],
    mustMatch: ["[0-9]"],
    minEntropy: 3.3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    pair: { with: "alibaba_cloud_access_key_secret", required: false },
    examples: {
      positive: [
        (r) => `ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI${r.alnum(18)}4k\nALIBABA_CLOUD_ACCESS_KEY_SECRET=${r.alnum(28)}Q7\n`,
        (r) => `accessKeyId: 'LTAI${r.alnum(10)}8z'`,
      ],
      negative: [
        { text: (r) => `LTAI${r.alnum(6)}`, reason: "too short" },
        {
          text: "https://mp.weixin.qq.com/s?__biz=ltAiJTIfmTcHF0Z3fohrsVLP",
          reason: "lower-case prefix inside a URL parameter",
        },
      ],
    },
  },
  {
    id: "alibaba_cloud_access_key_secret",
    name: "Alibaba Cloud AccessKey Secret",
    provider,
    regex: "[A-Za-z0-9]{30}",
    keywords: [],
    // Thirty alphanumerics are everywhere: only beside an AccessKey ID are they a secret.
    standalone: false,
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [],
      negative: [
        {
          text: (r) => `secret = ${r.alnum(28)}Q7`,
          reason: "a secret alone, without its AccessKey ID, is not reported",
        },
      ],
    },
  },
];
