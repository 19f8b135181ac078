import type { PatternDefinition } from "../pattern.js";

const provider = "HashiCorp";

export const hashicorpPatterns: PatternDefinition[] = [
  {
    id: "hashicorp_vault_batch_token",
    name: "HashiCorp Vault Batch Token",
    provider,
    // Vault 1.10+ token prefixes: hvb. batch, hvs. service; batch tokens carry their encrypted entry.
    regex: "hvb\\.[A-Za-z0-9_-]{138,300}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["hvb."],
    window: { before: 16, after: 400 },
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `VAULT_TOKEN=hvb.AAAAAQ${r.base64url(150)}`],
      negative: [
        { text: (r) => `hvb.${r.alnum(24)}`, reason: "too short for a batch token" },
        { text: "hvb.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
      ],
    },
  },
  {
    id: "hashicorp_vault_root_service_token",
    name: "HashiCorp Vault Root Service Token",
    provider,
    // Root tokens are plain service tokens: hvs. and 24 base62 characters (`vault server -dev` prints one).
    regex: "hvs\\.[A-Za-z0-9]{24}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["hvs."],
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `Root Token: hvs.${r.alnum(10)}7k${r.alnum(12)}`, (r) => `export VAULT_TOKEN="hvs.${r.alnum(10)}Q2${r.alnum(12)}"`],
      negative: [
        { text: (r) => `hvs.${r.alnum(16)}`, reason: "too short" },
        { text: (r) => `hvs.CAESI${r.base64url(90)}`, reason: "a long (non-root) service token" },
      ],
    },
  },
  {
    id: "hashicorp_vault_service_token",
    name: "HashiCorp Vault Service Token",
    provider,
    // Service tokens with an HMAC'd token entry: hvs.CAES… (protobuf, base64url), about 95 characters.
    regex: "hvs\\.[A-Za-z0-9_-]{90,120}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["hvs."],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `vault login hvs.CAESI${r.base64url(26)}GiEKHGh2cy5${r.base64url(56)}`],
      negative: [
        { text: (r) => `hvs.CAESI${r.base64url(40)}`, reason: "too short" },
        { text: (r) => `hvs.${r.base64url(130)}`, reason: "too long" },
      ],
    },
  },
  {
    id: "terraform_api_token",
    name: "Terraform Cloud / Enterprise API Token",
    provider,
    regex: "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}",
    after: "\\z|[^A-Za-z0-9_=-]",
    keywords: ["atlasv1"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `credentials "app.terraform.io" {\n  token = "${r.alnum(14)}.atlasv1.${r.base64url(67)}"\n}\n`,
        (r) => `TFE_TOKEN=${r.alnum(14)}.atlasv1.${r.base64url(60)}`,
      ],
      negative: [
        { text: 'token = "xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"', reason: "placeholder" },
        { text: (r) => `${r.alnum(14)}.atlasv1.${r.base64url(30)}`, reason: "too short" },
      ],
    },
  },
];
