import type { PatternDefinition } from "../pattern.js";

const provider = "Dropbox";

export const dropboxPatterns: PatternDefinition[] = [
  {
    id: "dropbox_access_token",
    name: "Dropbox Access Token",
    provider,
    // Long-lived tokens: 11 characters, ten `A`s, 43 more. `sl.` (the short-lived prefix) is too common a
    // fragment to search for, so both Dropbox types are looked for near the word Dropbox.
    regex: "[A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_=-]{43}",
    after: "\\z|[^A-Za-z0-9_=-]",
    keywords: ["dropbox"],
    window: { before: 256, after: 512 },
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `DROPBOX_ACCESS_TOKEN=${r.lowerAlnum(11)}AAAAAAAAAA${r.base64url(43)}`],
      negative: [
        { text: `dropbox_blob = "${"A".repeat(64)}"`, reason: "a run of A's in encoded data, not a token" },
        { text: (r) => `DROPBOX_ACCESS_TOKEN=${r.lowerAlnum(11)}AAAAAAAAAA${r.base64url(20)}`, reason: "too short" },
      ],
    },
  },
  {
    id: "dropbox_short_lived_access_token",
    name: "Dropbox Short-Lived Access Token",
    provider,
    regex: "sl\\.[A-Za-z0-9_-]{130,152}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["dropbox"],
    window: { before: 256, after: 512 },
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `curl -X POST https://api.dropboxapi.com/2/users/get_current_account --header "Authorization: Bearer sl.${r.base64url(138)}"`,
        (r) => `{"dropbox": {"access_token": "sl.${r.alnum(140)}", "expires_in": 14400}}`,
      ],
      negative: [
        { text: (r) => `dropbox: sl.${r.alnum(40)}`, reason: "too short" },
        { text: (r) => `ssl.${r.alnum(140)}`, reason: "no Dropbox nearby" },
      ],
    },
  },
];
