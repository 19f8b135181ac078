import type { PatternDefinition } from "../pattern.js";

export const telegramPatterns: PatternDefinition[] = [
  {
    id: "telegram_bot_token",
    name: "Telegram Bot Token",
    provider: "Telegram",
    // `<bot id>:<35 URL-safe characters>`; no prefix, so the word "telegram" must be near (a variable name or the Bot API URL).
    regex: "[0-9]{8,10}:[A-Za-z0-9_-]{35}",
    before: "\\A|[^0-9A-Za-z]|/bot",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["telegram"],
    mustMatch: [":.*[A-Z]", ":.*[a-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `TELEGRAM_BOT_TOKEN=${r.digits(10)}:AA${r.base64url(31)}Xy`,
        (r) => `fetch("https://api.telegram.org/bot${r.digits(9)}:AA${r.alnum(31)}kQ/getMe")`,
      ],
      negative: [
        { text: (r) => `TELEGRAM_BOT_TOKEN=${r.digits(10)}:${r.alnum(20)}`, reason: "secret part too short" },
        { text: (r) => `timestamp ${r.digits(10)}:AA${r.alnum(33)} without any mention of the bot API`, reason: "no Telegram context" },
      ],
    },
  },
];
