import type { PatternDefinition } from "../pattern.js";

export const infracostPatterns: PatternDefinition[] = [
  {
    id: "infracost_api_token",
    name: "Infracost API Token",
    provider: "Infracost",
    regex: "ico-[A-Za-z0-9]{32}",
    keywords: ["ico-"],
    minEntropy: 3.5,
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `INFRACOST_API_KEY=ico-${r.alnum(28)}aZ3${r.alnum(1)}`],
      negative: [
        { text: "INFRACOST_API_KEY=ico-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", reason: "placeholder" },
        { text: (r) => `http://assets.example.com/media/video_box.ico-${r.hex(32)}.png`, reason: "a hashed file name" },
      ],
    },
  },
];
