import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const mattermostPatterns: PatternDefinition[] = [
  {
    id: "mattermost_access_token",
    name: "Mattermost Access Token",
    provider: "Mattermost",
    // Personal access and bot tokens are 26 lower-case base32 characters (Mattermost's id format): only a Mattermost name marks them.
    regex: "[a-z0-9]{26}",
    before: assigned("mattermost|mm_token|mm_access_token|mm_bot_token"),
    keywords: ["mattermost", "mm_token", "mm_access_token", "mm_bot_token"],
    mustMatch: ["[0-9]", "[a-z]"],
    minEntropy: 3.5,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `MATTERMOST_TOKEN=${r.lower(12)}7${r.lowerAlnum(13)}`, (r) => `MATTERMOST_BOT_TOKEN: "${r.lower(12)}4${r.lowerAlnum(13)}"`],
      negative: [
        { text: "MATTERMOST_URL=https://chat.example.com", reason: "a URL" },
        { text: (r) => `token = "${r.lowerAlnum(26)}"`, reason: "no Mattermost name" },
      ],
    },
  },
];
