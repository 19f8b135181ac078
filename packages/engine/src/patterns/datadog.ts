import type { PatternDefinition } from "../pattern.js";

const provider = "Datadog";

/** Datadog keys are bare hex strings: only an assignment to a Datadog name (or DD_API_KEY / DD_APP_KEY) marks them. */
const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,20}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const datadogPatterns: PatternDefinition[] = [
  {
    id: "datadog_api_key",
    name: "Datadog API Key",
    provider,
    regex: "[a-f0-9]{32}",
    before: assigned("datadog|dd_api_key|dd_api"),
    keywords: ["datadog", "dd_api"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `DD_API_KEY=${r.hex(32)}`, (r) => `datadog_api_key: "${r.hex(32)}"`],
      negative: [
        { text: (r) => `DD_APP_KEY=${r.hex(40)}`, reason: "an application key is 40 hex digits" },
        { text: (r) => `api_key = "${r.hex(32)}"`, reason: "no Datadog name: 32 hex digits alone are not distinctive" },
      ],
    },
  },
  {
    id: "datadog_app_key",
    name: "Datadog Application Key",
    provider,
    regex: "[a-f0-9]{40}",
    before: assigned("datadog|dd_app_key|dd_app|dd_application"),
    keywords: ["datadog", "dd_app"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `DD_APP_KEY=${r.hex(40)}`, (r) => `export DATADOG_APP_KEY="${r.hex(40)}"`],
      negative: [
        { text: (r) => `DD_API_KEY=${r.hex(32)}`, reason: "an API key is 32 hex digits" },
        { text: (r) => `commit = "${r.hex(40)}"`, reason: "a git object id" },
      ],
    },
  },
];
