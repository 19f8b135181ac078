import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const ibmPatterns: PatternDefinition[] = [
  {
    id: "ibm_cloud_iam_key",
    name: "IBM Cloud IAM Key",
    provider: "IBM",
    // IAM API keys are 44 base64url characters with no prefix: only an IBM Cloud name marks them.
    regex: "[A-Za-z0-9_-]{44}",
    before: assigned("ibm[_-]?cloud|ibmcloud|ibm[_-]?api[_-]?key|ibm[_-]?iam"),
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["ibm_cloud", "ibm-cloud", "ibmcloud", "ibm_api", "ibm-api", "ibm_iam", "ibmapikey"],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 4,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `IBM_CLOUD_API_KEY=${r.alnum(20)}_${r.alnum(2)}9${r.base64url(20)}`, (r) => `ibmcloud_api_key: "${r.alnum(21)}Q7${r.base64url(21)}"`],
      negative: [
        { text: (r) => `IBM_CLOUD_REGION=${r.lower(44)}`, reason: "no digits or capitals: not a key" },
        { text: (r) => `api_key = "${r.alnum(44)}"`, reason: "no IBM Cloud name" },
      ],
    },
  },
];
