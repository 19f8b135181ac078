import type { PatternDefinition } from "../pattern.js";

const provider = "Midtrans";

export const midtransPatterns: PatternDefinition[] = [
  {
    id: "midtrans_production_server_key",
    name: "Midtrans Production Server Key",
    provider,
    regex: "Mid-server-[A-Za-z0-9_-]{24}",
    // Not the tail of a sandbox key (SB-Mid-server-…).
    before: "\\A|[^0-9A-Za-z-]",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["mid-server-"],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `MIDTRANS_SERVER_KEY=Mid-server-${r.alnum(10)}aZ4${r.base64url(11)}`],
      negative: [
        { text: (r) => `MIDTRANS_SERVER_KEY=SB-Mid-server-${r.alnum(10)}aZ4${r.base64url(11)}`, reason: "a sandbox key" },
        { text: "Mid-server-YOUR-SERVER-KEY-HERE", reason: "placeholder" },
      ],
    },
  },
  {
    id: "midtrans_sandbox_server_key",
    name: "Midtrans Sandbox Server Key",
    provider,
    regex: "SB-Mid-server-[A-Za-z0-9_-]{24}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["sb-mid-server-"],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    validityCheck: true,
    examples: {
      positive: [(r) => `serverKey : 'SB-Mid-server-${r.alnum(10)}bQ7${r.base64url(11)}'`],
      negative: [
        { text: "MIDTRANS_SERVER_KEY=SB-Mid-server-xxxxxxxxxxxx", reason: "placeholder" },
        { text: "const SERVER_KEY = 'SB-Mid-server-test123';", reason: "too short" },
      ],
    },
  },
];
