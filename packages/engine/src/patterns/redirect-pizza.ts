import type { PatternDefinition } from "../pattern.js";

export const redirectPizzaPatterns: PatternDefinition[] = [
  {
    id: "redirect_pizza_api_token",
    name: "redirect.pizza API Token",
    provider: "redirect.pizza",
    // `rpa_` + 30 alphanumerics.
    regex: "rpa_[A-Za-z0-9]{30}",
    keywords: ["rpa_"],
    mustMatch: ["[a-z]", "[A-Z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `REDIRECT_PIZZA_TOKEN=rpa_${r.alnum(28)}aB`],
      negative: [
        { text: (r) => `rpa_${r.upperAlnum(40)}${r.alnum(6)}`, reason: "a RunPod key shape" },
        { text: (r) => `rpa_${r.alnum(12)}`, reason: "too short" },
      ],
    },
  },
];
