import type { PatternDefinition } from "../pattern.js";

const provider = "Heroku";

export const herokuPatterns: PatternDefinition[] = [
  {
    id: "heroku_platform_api_oauth2_token",
    name: "Heroku Platform API OAuth2 Token",
    provider,
    // Current token format: HRKU-AA and 58 base64url characters.
    regex: "HRKU-AA[0-9A-Za-z_-]{58}",
    after: "\\z|[^0-9A-Za-z_-]",
    keywords: ["hrku-aa"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `HEROKU_API_KEY=HRKU-AA${r.base64url(58)}`, (r) => `machine api.heroku.com\n  password HRKU-AA${r.base64url(58)}\n`],
      negative: [
        { text: (r) => `HRKU-AA${r.base64url(30)}`, reason: "too short" },
        { text: (r) => `HRKU-AA${r.base64url(70)}`, reason: "too long" },
      ],
    },
  },
  {
    id: "heroku_postgres_connection_url",
    name: "Heroku Postgres Connection URL",
    provider,
    // Heroku Postgres credentials: a 14-letter user, a 64-hex password, an EC2 host.
    regex:
      "postgres(?:ql)?://[a-z0-9]{14}:[0-9a-f]{64}@ec2-[0-9]{1,3}-[0-9]{1,3}-[0-9]{1,3}-[0-9]{1,3}\\.(?:compute-1|[a-z]{2}-[a-z]+-[0-9]\\.compute)\\.amazonaws\\.com(?::[0-9]{1,5})?/[a-z0-9]{14}",
    keywords: ["compute-1.amazonaws.com", "compute.amazonaws.com"],
    window: { before: 200, after: 64 },
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) =>
          `DATABASE_URL=postgres://${r.lower(14)}:${r.hex(64)}@ec2-${r.digits(2)}-${r.digits(3)}-${r.digits(2)}-${r.digits(2)}.compute-1.amazonaws.com:5432/${r.lowerAlnum(14)}`,
        (r) =>
          `url: "postgresql://${r.lower(14)}:${r.hex(64)}@ec2-${r.digits(2)}-${r.digits(2)}-${r.digits(3)}-${r.digits(2)}.eu-west-1.compute.amazonaws.com:5432/${r.lowerAlnum(14)}"`,
      ],
      negative: [
        { text: (r) => `postgres://app:${r.alnum(12)}@db.internal:5432/app`, reason: "not a Heroku Postgres host" },
        { text: "ec2-52-1-2-3.compute-1.amazonaws.com", reason: "a host without credentials" },
      ],
    },
  },
];
