import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

/** Mattermost ids (tokens, and team, channel and user ids alike) are a UUID in z-base-32, 26 characters. */
const Z_BASE_32 = "ybndrfg8ejkmcpqxot1uwisza345h769";

export const mattermostPatterns: PatternDefinition[] = [
  {
    id: "mattermost_access_token",
    name: "Mattermost Access Token",
    provider: "Mattermost",
    // Personal access and bot tokens are Mattermost ids: 26 z-base-32 characters (no 0, 2, l or v). Team,
    // channel and user ids have the same form, so only a Mattermost name that says token marks one.
    regex: "[a-km-uw-z13-9]{26}",
    before: assigned("mattermost[\\w.-]{0,20}?(?:token|pat)|mm_token|mm_access_token|mm_bot_token"),
    keywords: ["mattermost", "mm_token", "mm_access_token", "mm_bot_token"],
    mustMatch: ["[0-9]", "[a-z]"],
    // Enough to reject placeholders; 26 random z-base-32 characters now and then fall just under 3.5.
    minEntropy: 3.3,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `MATTERMOST_TOKEN=${r.chars(Z_BASE_32, 12)}7${r.chars(Z_BASE_32, 13)}`,
        (r) => `MATTERMOST_BOT_TOKEN: "${r.chars(Z_BASE_32, 12)}4${r.chars(Z_BASE_32, 13)}"`,
      ],
      negative: [
        { text: "MATTERMOST_URL=https://chat.example.com", reason: "a URL" },
        { text: (r) => `token = "${r.chars(Z_BASE_32, 26)}"`, reason: "no Mattermost name" },
        { text: (r) => `MATTERMOST_TEAM_ID=${r.chars(Z_BASE_32, 12)}7${r.chars(Z_BASE_32, 13)}`, reason: "a team id: same form, not a token" },
        { text: (r) => `MATTERMOST_TOKEN=${r.lower(12)}0${r.lower(12)}v`, reason: "0 and v are not z-base-32" },
      ],
    },
  },
];
