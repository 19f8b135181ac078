import type { PatternDefinition } from "../pattern.js";

export const blockProtocolPatterns: PatternDefinition[] = [
  {
    id: "block_protocol_api_key",
    name: "Block Protocol API Key",
    provider: "Block Protocol",
    // `b10ck5.` + a 32-hex public id + `.` + a UUID secret (the blockprotocol CLI's config template has this shape).
    regex: "b10ck5\\.[a-f0-9]{32}\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    keywords: ["b10ck5."],
    mustNotMatch: ["\\.0{8}-0{4}-0{4}-0{4}-0{12}$"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `BLOCK_PROTOCOL_API_KEY=b10ck5.${r.hex(32)}.${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-a${r.hex(3)}-${r.hex(12)}`],
      negative: [
        { text: "api-key=b10ck5.00000000000000000000000000000000.00000000-0000-0000-0000-000000000000", reason: "the CLI's template" },
        { text: (r) => `b10ck5.${r.hex(32)}.xxxxx`, reason: "masked secret" },
      ],
    },
  },
];
