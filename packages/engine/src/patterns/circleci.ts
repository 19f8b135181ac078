import type { PatternDefinition } from "../pattern.js";

const provider = "CircleCI";

export const circleciPatterns: PatternDefinition[] = [
  {
    id: "circleci_personal_access_token",
    name: "CircleCI Personal Access Token",
    provider,
    regex: "CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}",
    keywords: ["CCIPAT_"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `CIRCLECI_TOKEN=CCIPAT_${r.alnum(22)}_${r.hex(40)}`, (r) => `token: CCIPAT_${r.alnum(22)}_${r.hex(40)}`],
      negative: [
        { text: "export CIRCLECI_TOKEN=CCIPAT_...", reason: "elided value" },
        { text: (r) => `CCIPAT_${r.alnum(22)}_${r.alnum(40)}`, reason: "the second part is hexadecimal" },
      ],
    },
  },
  {
    id: "circleci_project_access_token",
    name: "CircleCI Project Access Token",
    provider,
    regex: "CCIPRJ_[A-Za-z0-9]{22}_[a-f0-9]{40}",
    keywords: ["CCIPRJ_"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `![CircleCI](https://dl.circleci.com/status-badge/img/gh/acme/app/tree/main.svg?style=svg&circle-token=CCIPRJ_${r.alnum(22)}_${r.hex(40)})`],
      negative: [{ text: (r) => `CCIPRJ_${r.alnum(22)}_${r.hex(20)}`, reason: "too short" }],
    },
  },
];
