import type { PatternDefinition } from "../pattern.js";

/**
 * A bot token is three base64url parts: the bot's user id (a decimal snowflake), a timestamp, an HMAC.
 * The first part must decode to the digits of an id.
 */
export function hasSnowflakeId(secret: string): boolean {
  const id = Buffer.from(secret.split(".")[0] ?? "", "base64url").toString("latin1");
  return /^[1-9][0-9]{16,19}$/.test(id);
}

const botToken = (digits: (n: number) => string, b64: (n: number) => string, hmac: number): string =>
  `${Buffer.from(`1${digits(18)}`).toString("base64url")}.${b64(6)}.${b64(hmac)}`;

export const discordPatterns: PatternDefinition[] = [
  {
    id: "discord_bot_token",
    name: "Discord Bot Token",
    provider: "Discord",
    regex: "[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}",
    // No fixed prefix: the token must be assigned to (or passed in a call named after) Discord.
    before: "(?i)discord[\\w.-]{0,30}[\\s'\"]{0,3}(?:=|:|=>|:=|\\()[\\s'\"]{0,5}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["discord"],
    validate: hasSnowflakeId,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `DISCORD_TOKEN=${botToken((n) => r.digits(n), (n) => r.base64url(n), 38)}`,
        (r) => `{"discordBotToken": "${botToken((n) => r.digits(n), (n) => r.base64url(n), 27)}"}`,
      ],
      negative: [
        { text: (r) => `DISCORD_TOKEN=M${r.alnum(25)}.${r.alnum(6)}.${r.alnum(38)}`, reason: "the first part does not decode to a user id" },
        { text: (r) => `TOKEN=${botToken((n) => r.digits(n), (n) => r.base64url(n), 38)}`, reason: "no Discord name beside it" },
      ],
    },
  },
];
