import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

/** `<client id>.<access key id>.<account id>.<signing key>`, per Authress's secret-scanning documentation. */
const accessKey = (r: ExampleRandom, prefix: string): string =>
  `${prefix}_${r.lowerAlnum(10)}.${r.lowerAlnum(4)}.acc_${r.lowerAlnum(12)}.${r.base64url(44)}`;

export const authressPatterns: PatternDefinition[] = [
  {
    id: "authress_service_client_access_key",
    name: "Authress Service Client Access Key",
    provider: "Authress",
    regex:
      "(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\\.[a-z0-9]{4,6}\\.acc[_-][a-z0-9-]{10,32}\\.[A-Za-z0-9+/_=-]{30,120}",
    after: "\\z|[^A-Za-z0-9+/_=-]",
    keywords: ["sc_", "ext_", "scauth_", "authress_"],
    window: { before: 16, after: 256 },
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `AUTHRESS_KEY=${accessKey(r, "sc")}`,
        (r) => `new ServiceClientTokenProvider("${accessKey(r, "authress")}")`,
      ],
      negative: [
        { text: (r) => `sc_${r.lowerAlnum(10)}.${r.lowerAlnum(4)}.${r.base64url(44)}`, reason: "no account id part" },
        {
          text: (r) => `sc_${r.lowerAlnum(10)}.${r.lowerAlnum(4)}.acc_${r.lowerAlnum(12)}.${r.base64url(10)}`,
          reason: "signing key too short",
        },
      ],
    },
  },
];
