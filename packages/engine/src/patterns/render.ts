import type { PatternDefinition } from "../pattern.js";

export const renderPatterns: PatternDefinition[] = [
  {
    id: "render_api_key",
    name: "Render API Key",
    provider: "Render",
    // API keys: `rnd_` + 28 alphanumerics. `rnd_` also starts variable names (`rnd_seed…`), which are
    // lower case or snake case: a key mixes cases and digits.
    regex: "rnd_[A-Za-z0-9]{28}",
    keywords: ["rnd_"],
    minEntropy: 3.8,
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `RENDER_API_KEY=rnd_${r.alnum(25)}Q7k`, (r) => `headers = {"Authorization": "Bearer rnd_${r.alnum(24)}aZ09"}`],
      negative: [
        { text: "RENDER_API_KEY=rnd_xxxxxxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
        { text: "rnd_generatorstatesnapshotcache = None", reason: "a variable name" },
      ],
    },
  },
];
