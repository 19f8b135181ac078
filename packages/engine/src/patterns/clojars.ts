import type { PatternDefinition } from "../pattern.js";

export const clojarsPatterns: PatternDefinition[] = [
  {
    id: "clojars_deploy_token",
    name: "Clojars Deploy Token",
    provider: "Clojars",
    regex: "CLOJARS_[a-z0-9]{60}",
    keywords: ["CLOJARS_"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `CLOJARS_PASSWORD=CLOJARS_${r.hex(60)}`, (r) => `:deploy-repositories [["clojars" {:username "me" :password "CLOJARS_${r.lowerAlnum(60)}"}]]`],
      negative: [
        { text: "CLOJARS_USERNAME=me", reason: "an environment variable name" },
        { text: (r) => `CLOJARS_${r.hex(30)}`, reason: "too short" },
      ],
    },
  },
];
