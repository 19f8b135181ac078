import type { PatternDefinition } from "../pattern.js";

const provider = "Lob";

export const lobPatterns: PatternDefinition[] = [
  {
    id: "lob_live_api_key",
    name: "Lob Live API Key",
    provider,
    // Lob secret keys: live_ or test_ and 35 hex digits (publishable keys are live_pub_…).
    regex: "live_[0-9a-f]{35}",
    before: "\\A|[^0-9A-Za-z_-]",
    keywords: ["live_"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `LOB_API_KEY=live_${r.hex(35)}`, (r) => `const lob = require('lob')('live_${r.hex(35)}');`],
      negative: [
        { text: (r) => `LOB_PUBLISHABLE_KEY=live_pub_${r.hex(31)}`, reason: "a publishable key" },
        { text: (r) => `live_${r.hex(32)}`, reason: "wrong length" },
      ],
    },
  },
  {
    id: "lob_test_api_key",
    name: "Lob Test API Key",
    provider,
    regex: "test_[0-9a-f]{35}",
    // `test_` is everywhere in code; the key must be assigned to a Lob name.
    before: `(?i)lob[\\w.-]{0,20}[\\s'"]{0,3}(?:=|:|=>|:=|\\)?\\()[\\s'"]{0,5}`,
    keywords: ["lob_", "lob.", "lob-", "lob'", 'lob"', "lob("],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `LOB_API_KEY=test_${r.hex(35)}`, (r) => `const lob = require('lob')('test_${r.hex(35)}');`],
      negative: [
        { text: (r) => `fixture = "test_${r.hex(35)}"`, reason: "no Lob name" },
        { text: (r) => `LOB_API_KEY=test_pub_${r.hex(31)}`, reason: "a publishable key" },
      ],
    },
  },
];
