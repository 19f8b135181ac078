import type { PatternDefinition } from "../pattern.js";

const provider = "Amazon AWS";

export const awsPatterns: PatternDefinition[] = [
  {
    id: "aws_access_key_id",
    name: "Amazon AWS Access Key ID",
    provider,
    // Long-term IAM user keys; the 16 characters after the prefix are base32.
    regex: "(?:AKIA|A3T[A-Z0-9])[A-Z2-7]{16}",
    keywords: ["AKIA", "A3T"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    base64: true,
    pair: { with: "aws_secret_access_key", required: false },
    examples: {
      positive: [
        (r) => `aws_access_key_id = AKIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}\naws_secret_access_key = ${r.base64(40)}\n`,
        (r) => `key: AKIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`,
      ],
      negative: [
        { text: "AKIAIOSFODNN7EXAMPLE", reason: "AWS's documented example key" },
        { text: (r) => `AKIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 12)}`, reason: "too short" },
        { text: (r) => `AKIA${r.lower(16)}`, reason: "key ids are upper-case base32" },
      ],
    },
  },
  {
    id: "aws_secret_access_key",
    name: "Amazon AWS Secret Access Key",
    provider,
    regex: "[A-Za-z0-9/+]{40}",
    before: "\\A|[^A-Za-z0-9/+]",
    after: "\\z|[^A-Za-z0-9/+=]",
    // Forty base64 characters are everywhere; only beside an access key id are they a secret key.
    keywords: [],
    standalone: false,
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    base64: true,
    examples: {
      positive: [],
      negative: [{ text: (r) => `secret = ${r.base64(40)}`, reason: "a secret key alone, without its access key id, is not reported" }],
    },
  },
  {
    id: "aws_session_token",
    name: "Amazon AWS Session Token",
    provider,
    // STS session tokens are long base64 blobs that begin with a fixed serialisation header: `IQoJb3JpZ2luX2Vj`
    // (current, "origin_ec"), `FwoGZXIvYXdz` / `FQoGZXIvYXdz` (older, "er/aws").
    regex: "(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9+/]{200,}={0,2}",
    before: "\\A|[^A-Za-z0-9+/]",
    after: "\\z|[^A-Za-z0-9+/=]",
    keywords: ["IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdz", "FQoGZXIvYXdz"],
    window: { before: 16, after: 2100 },
    minEntropy: 4.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `aws_session_token = IQoJb3JpZ2luX2Vj${r.base64(600)}==`,
        (r) => `AWS_SESSION_TOKEN="FwoGZXIvYXdz${r.base64(300)}"`,
      ],
      negative: [
        { text: (r) => `aws_session_token = IQoJb3JpZ2luX2Vj${r.base64(40)}`, reason: "too short" },
        { text: (r) => `token = ${r.base64(600)}`, reason: "no STS serialisation header" },
      ],
    },
  },
  {
    id: "aws_temporary_access_key_id",
    name: "Amazon AWS Temporary Access Key ID",
    provider,
    // STS temporary credentials: `ASIA` + 16 base32 characters, used with a secret key and a session token.
    regex: "ASIA[A-Z2-7]{16}",
    keywords: ["ASIA"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    pair: { with: "aws_secret_access_key", required: false },
    examples: {
      positive: [
        (r) => `aws_access_key_id = ASIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}\naws_secret_access_key = ${r.base64(40)}\n`,
        (r) => `"AccessKeyId": "ASIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}"`,
      ],
      negative: [
        { text: 'msgstr "Näytä asiakirjamallikansio."', reason: "lower-case text" },
        { text: (r) => `ASIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 10)}`, reason: "too short" },
      ],
    },
  },
];
