import type { PatternDefinition } from "../pattern.js";

export const dronePatterns: PatternDefinition[] = [
  {
    id: "drone_access_token",
    name: "Drone Access Token",
    provider: "Drone",
    // Personal tokens (DRONE_TOKEN) are 32 alphanumerics with no prefix: only where assigned to a Drone name.
    regex: "[A-Za-z0-9]{32}",
    before: "(?i)drone[\\w.-]{0,20}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    keywords: ["drone"],
    mustMatch: ["[0-9]", "[A-Za-z]"],
    minEntropy: 3.8,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `export DRONE_SERVER=https://drone.example.com\nexport DRONE_TOKEN=${r.alnum(30)}4${r.alnum(1)}`],
      negative: [
        { text: (r) => `DRONE_RPC_SECRET=${r.hex(16)}`, reason: "too short" },
        { text: (r) => `token = "${r.alnum(32)}"`, reason: "no Drone name" },
      ],
    },
  },
];
