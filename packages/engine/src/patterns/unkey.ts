import type { PatternDefinition } from "../pattern.js";

export const unkeyPatterns: PatternDefinition[] = [
  {
    id: "unkey_root_key",
    name: "Unkey Root Key",
    provider: "Unkey",
    // Root keys: `unkey_` + a base58 body.
    regex: "unkey_[A-Za-z0-9]{20,32}",
    keywords: ["unkey_"],
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    validityCheck: true,
    examples: {
      positive: [(r) => `UNKEY_ROOT_KEY=unkey_3Za${r.chars("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 21)}`],
      negative: [
        { text: "UNKEY_ROOT_KEY=unkey_root_xxx", reason: "placeholder" },
        { text: "UNKEY_ROOT_KEY=unkey_xxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
      ],
    },
  },
];
