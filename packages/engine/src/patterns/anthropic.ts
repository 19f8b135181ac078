import type { PatternDefinition } from "../pattern.js";

const provider = "Anthropic";
const KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

export const anthropicPatterns: PatternDefinition[] = [
  {
    id: "anthropic_admin_api_key",
    name: "Anthropic Admin API Key",
    provider,
    // Admin API keys: `sk-ant-admin01-` + 93 characters + `AA`.
    regex: "sk-ant-admin01-[A-Za-z0-9_-]{93}AA",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["sk-ant-admin01-"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `ANTHROPIC_ADMIN_KEY=sk-ant-admin01-${r.chars(KEY_CHARS, 93)}AA`,
        (r) => `x-api-key: sk-ant-admin01-${r.chars(KEY_CHARS, 93)}AA`,
      ],
      negative: [
        { text: (r) => `sk-ant-admin01-${r.chars(KEY_CHARS, 50)}AA`, reason: "too short" },
        { text: (r) => `sk-ant-admin01-${r.chars(KEY_CHARS, 93)}BB`, reason: "keys end in AA" },
      ],
    },
  },
  {
    id: "anthropic_api_key",
    name: "Anthropic API Key",
    provider,
    // API keys: `sk-ant-api03-` + 93 characters + `AA`.
    regex: "sk-ant-api03-[A-Za-z0-9_-]{93}AA",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["sk-ant-api03-"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    base64: true,
    examples: {
      positive: [
        (r) => `ANTHROPIC_API_KEY=sk-ant-api03-${r.chars(KEY_CHARS, 93)}AA`,
        (r) => `client = anthropic.Anthropic(api_key="sk-ant-api03-${r.chars(KEY_CHARS, 93)}AA")`,
        (r) => `ANTHROPIC_KEY_B64=${Buffer.from(`sk-ant-api03-${r.chars(KEY_CHARS, 93)}AA`).toString("base64")}`,
      ],
      negative: [
        { text: (r) => `sk-ant-api03-${r.chars(KEY_CHARS, 40)}AA`, reason: "too short" },
        { text: "ANTHROPIC_API_KEY=sk-ant-api03-...", reason: "truncated in documentation" },
      ],
    },
  },
  {
    id: "anthropic_oauth_access_token",
    name: "Anthropic OAuth Access Token",
    provider,
    // Claude Code / Claude.ai OAuth access tokens (`sk-ant-oat01-`); Anthropic publishes no fixed length. Not in GitHub's list.
    regex: "sk-ant-oat01-[A-Za-z0-9_-]{40,200}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["sk-ant-oat01-"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-${r.chars(KEY_CHARS, 93)}AA`,
        (r) => `"accessToken": "sk-ant-oat01-${r.chars(KEY_CHARS, 60)}"`,
      ],
      negative: [
        { text: "CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-tooShort", reason: "too short" },
        { text: (r) => `sk-ant-ort01-${r.chars(KEY_CHARS, 93)}AA`, reason: "a refresh token, reported as such" },
      ],
    },
  },
  {
    id: "anthropic_oauth_refresh_token",
    name: "Anthropic OAuth Refresh Token",
    provider,
    // Claude Code / Claude.ai OAuth refresh tokens (`sk-ant-ort01-`). Not in GitHub's list.
    regex: "sk-ant-ort01-[A-Za-z0-9_-]{40,200}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["sk-ant-ort01-"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `"refreshToken": "sk-ant-ort01-${r.chars(KEY_CHARS, 93)}AA"`,
        (r) => `refresh=sk-ant-ort01-${r.chars(KEY_CHARS, 64)}`,
      ],
      negative: [
        { text: "refresh: sk-ant-ort01-tooShort", reason: "too short" },
        { text: (r) => `sk-ant-oat01-${r.chars(KEY_CHARS, 93)}AA`, reason: "an access token, reported as such" },
      ],
    },
  },
];
