import type { PatternDefinition } from "../pattern.js";

export const dynatracePatterns: PatternDefinition[] = [
  {
    id: "dynatrace_api_token",
    name: "Dynatrace API Token",
    provider: "Dynatrace",
    // `dt0c01.` + a 24-character public id + `.` + a 64-character secret, upper-case base32.
    regex: "dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}",
    keywords: ["dt0c01."],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `DT_API_TOKEN=dt0c01.${r.upperAlnum(24)}.${r.upperAlnum(64)}`],
      negative: [
        { text: (r) => `dt0c01.${r.upperAlnum(24)}`, reason: "the public id alone" },
        { text: (r) => `dt0c01.${r.lower(24)}.${r.lower(64)}`, reason: "tokens are upper case" },
      ],
    },
  },
];
