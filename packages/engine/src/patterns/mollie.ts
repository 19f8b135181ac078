import type { PatternDefinition } from "../pattern.js";

export const molliePatterns: PatternDefinition[] = [
  {
    id: "mollie_api_key",
    name: "Mollie API Key",
    provider: "Mollie",
    // `live_` / `test_` + 30 alphanumerics; the prefixes are common words, so a Mollie mention must be near. Not in GitHub's list.
    regex: "(?:live|test)_[A-Za-z0-9]{30}",
    keywords: ["mollie"],
    mustMatch: ["_.*[0-9]", "_.*[A-Z]", "_.*[a-z]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `MOLLIE_API_KEY=live_${r.alnum(27)}aB3`, (r) => `$mollie->setApiKey("test_${r.alnum(27)}Zq7");`],
      negative: [
        { text: (r) => `MOLLIE_API_KEY=live_${r.alnum(10)}`, reason: "too short" },
        { text: (r) => `live_${r.alnum(27)}aB3`, reason: "no Mollie context" },
      ],
    },
  },
];
