import type { PatternDefinition } from "../pattern.js";

export const zuploPatterns: PatternDefinition[] = [
  {
    id: "zuplo_consumer_api_key",
    name: "Zuplo Consumer API Key",
    provider: "Zuplo",
    // Zuplo's documented shape: `zpka_<random>_<checksum>`.
    regex: "zpka_[A-Za-z0-9]{20,64}_[A-Za-z0-9]{4,16}",
    keywords: ["zpka_"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `ZUPLO_API_KEY=zpka_${r.hex(32)}_${r.hex(8)}`, (r) => `Authorization: Bearer zpka_${r.hex(32)}_${r.hex(8)}`],
      negative: [
        { text: (r) => `zpka_${r.hex(32)}`, reason: "no checksum part" },
        { text: (r) => `zpka_${r.hex(8)}_${r.hex(8)}`, reason: "random part too short" },
      ],
    },
  },
];
