import type { PatternDefinition } from "../pattern.js";

export const frameIoPatterns: PatternDefinition[] = [
  {
    id: "frameio_developer_token",
    name: "Frame.io Developer Token",
    provider: "Frame.io",
    regex: "fio-u-[A-Za-z0-9_=-]{64}",
    after: "\\z|[^A-Za-z0-9_=-]",
    keywords: ["fio-u-"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `FRAMEIO_TOKEN=fio-u-${r.base64url(64)}`],
      negative: [{ text: (r) => `fio-u-${r.alnum(30)}`, reason: "too short" }],
    },
  },
];
