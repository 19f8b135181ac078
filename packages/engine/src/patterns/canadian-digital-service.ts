import type { PatternDefinition } from "../pattern.js";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const uuid = (hex: (n: number) => string): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;

export const canadianDigitalServicePatterns: PatternDefinition[] = [
  {
    id: "cds_canada_notify_api_key",
    name: "Canadian Digital Service Notify API Key",
    provider: "Canadian Digital Service",
    // GC Notify: `gcntfy-` + the key's name + the service id + the secret, both UUIDs.
    regex: `gcntfy-[A-Za-z0-9_-]{1,128}-${UUID}-${UUID}`,
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["gcntfy-"],
    mustNotMatch: ["-0{8}-0{4}-0{4}-0{4}-0{12}"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `NOTIFY_API_KEY=gcntfy-prod_sender-${uuid((n) => r.hex(n))}-${uuid((n) => r.hex(n))}`,
        (r) => `headers = {"Authorization": "ApiKey-v1 gcntfy-my-service-${uuid((n) => r.hex(n))}-${uuid((n) => r.hex(n))}"}`,
      ],
      negative: [
        { text: "gcntfy-key-name-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000", reason: "zero UUIDs from documentation" },
        { text: (r) => `gcntfy-key-${uuid((n) => r.hex(n))}`, reason: "only one UUID: the secret is missing" },
      ],
    },
  },
];
