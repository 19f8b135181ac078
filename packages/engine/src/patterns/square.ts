import type { PatternDefinition } from "../pattern.js";

const provider = "Square";

export const squarePatterns: PatternDefinition[] = [
  {
    id: "square_access_token",
    name: "Square Access Token",
    provider,
    // `EAAA` + 60 URL-safe characters (production and sandbox), or the legacy `sq0atp-` + 22.
    regex: "EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["eaaa", "sq0atp-"],
    mustMatch: ["[a-z]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `SQUARE_ACCESS_TOKEN=EAAA${r.base64url(58)}aZ`, (r) => `square:\n  token: sq0atp-${r.alnum(20)}Qx`],
      negative: [
        { text: "aws-cli@sha256:eaaa7b11777babe28e6133a8b19ff71cea687e0d7f05158dee95a71f76ce3d00", reason: "a hex digest that happens to contain eaaa" },
        { text: (r) => `EAAA${r.alnum(30)}`, reason: "too short" },
      ],
    },
  },
  {
    id: "square_production_application_secret",
    name: "Square Production Application Secret",
    provider,
    regex: "sq0csp-[A-Za-z0-9_-]{43}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["sq0csp-"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `SQUARE_APPLICATION_SECRET=sq0csp-${r.base64url(43)}`],
      negative: [{ text: (r) => `sq0csp-${r.alnum(20)}`, reason: "too short" }],
    },
  },
  {
    id: "square_sandbox_application_secret",
    name: "Square Sandbox Application Secret",
    provider,
    regex: "sandbox-sq0csb-[A-Za-z0-9_-]{43}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["sq0csb-"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `square_sandbox_secret: "sandbox-sq0csb-${r.base64url(43)}"`],
      negative: [{ text: (r) => `sandbox-sq0csb-${r.alnum(20)}`, reason: "too short" }],
    },
  },
];
