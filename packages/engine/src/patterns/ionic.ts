import type { PatternDefinition } from "../pattern.js";

export const ionicPatterns: PatternDefinition[] = [
  {
    id: "ionic_personal_access_token",
    name: "Ionic Personal Access Token",
    provider: "Ionic",
    regex: "ion_[A-Za-z0-9]{42}",
    keywords: ["ion_"],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `IONIC_TOKEN=ion_${r.alnum(20)}8xQ${r.alnum(19)}`],
      negative: [
        { text: (r) => `ion_${r.alnum(30)}`, reason: "too short" },
        { text: "validation_configurationmanagementsystemsettings", reason: "the prefix inside a longer word" },
      ],
    },
  },
];
