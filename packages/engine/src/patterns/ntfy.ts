import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=|\\s)[\\s'"]{0,5}(?:Bearer\\s+)?`;

export const ntfyPatterns: PatternDefinition[] = [
  {
    id: "ntfy_access_token",
    name: "ntfy Access Token",
    provider: "ntfy",
    // ntfy access tokens: tk_ and 29 lower-case base36 characters; `tk_` also starts GTK calls, so ntfy must be named.
    regex: "tk_[a-z0-9]{29}",
    before: assigned("ntfy"),
    keywords: ["ntfy"],
    mustMatch: ["[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `NTFY_TOKEN=tk_${r.lower(14)}3${r.lowerAlnum(14)}`],
      negative: [
        { text: "gtk_widget_show_all(window);", reason: "a GTK call" },
        { text: (r) => `token = "tk_${r.lower(14)}3${r.lowerAlnum(14)}"`, reason: "no ntfy name" },
      ],
    },
  },
];
