import type { PatternDefinition } from "../pattern.js";

const provider = "Slack";

export const slackPatterns: PatternDefinition[] = [
  {
    id: "slack_api_token",
    name: "Slack API Token",
    provider,
    regex: [
      "xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34}", // bot
      "xox[pe]-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{28,34}", // user, enterprise
      "xoxe\\.xox[bp]-1-[A-Za-z0-9]{160,170}", // rotating tokens
      "xoxe-1-[A-Za-z0-9]{140,150}", // refresh tokens of rotating tokens
      "xox[ar]-(?:[0-9]{1,13}-){1,3}[A-Za-z0-9]{24,64}", // legacy workspace, app-level refresh
      "xox[os]-[0-9]+-[0-9]+-[0-9]+-[A-Fa-f0-9]+", // legacy
      "xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[a-f0-9]{64}", // app-level
    ].join("|"),
    keywords: ["xoxb-", "xoxp-", "xoxe-", "xoxe.", "xoxa-", "xoxr-", "xoxo-", "xoxs-", "xapp-"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `SLACK_BOT_TOKEN=xoxb-${r.digits(12)}-${r.digits(13)}-${r.alnum(24)}`,
        (r) => `slack: "xoxp-${r.digits(11)}-${r.digits(11)}-${r.digits(12)}-${r.hex(32)}"`,
        (r) => `SLACK_APP_TOKEN=xapp-1-A${r.upperAlnum(10)}-${r.digits(13)}-${r.hex(64)}`,
      ],
      negative: [
        { text: "xoxb-your-token-here", reason: "placeholder text, not the token's shape" },
        { text: (r) => `xoxb-${r.digits(12)}-${r.alnum(24)}`, reason: "a bot token has two numeric ids" },
      ],
    },
  },
  {
    id: "slack_incoming_webhook_url",
    name: "Slack Incoming Webhook URL",
    provider,
    regex: "https://hooks\\.slack\\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{23,25}",
    keywords: ["hooks.slack.com/services/"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `webhook_url: https://hooks.slack.com/services/T${r.upperAlnum(10)}/B${r.upperAlnum(10)}/${r.alnum(24)}`],
      negative: [
        { text: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", reason: "Slack's documented placeholder" },
        { text: (r) => `https://hooks.slack.com/services/T${r.upperAlnum(10)}/B${r.upperAlnum(10)}`, reason: "no secret part" },
      ],
    },
  },
  {
    id: "slack_workflow_trigger_url",
    name: "Slack Workflow Trigger URL",
    provider,
    // Webhook triggers of Slack's automation platform: team (or enterprise) id, trigger id, 32-hex secret.
    regex: "https://hooks\\.slack\\.com/triggers/[TE][A-Z0-9]{8,12}/[0-9]{10,16}/[a-f0-9]{32}",
    keywords: ["hooks.slack.com/triggers/"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `SLACK_TRIGGER_URL=https://hooks.slack.com/triggers/T${r.upperAlnum(10)}/${r.digits(13)}/${r.hex(32)}`],
      negative: [
        { text: (r) => `https://hooks.slack.com/triggers/T${r.upperAlnum(10)}/${r.digits(13)}`, reason: "no secret part" },
        { text: (r) => `https://hooks.slack.com/triggers/T${r.upperAlnum(10)}/${r.digits(13)}/${r.upper(32)}`, reason: "secret is not hexadecimal" },
      ],
    },
  },
  {
    id: "slack_workflow_webhook_url",
    name: "Slack Workflow Webhook URL",
    provider,
    regex: "https://hooks\\.slack\\.com/(?:workflows|triggers)/T[A-Z0-9]{8,12}/A[A-Z0-9]{8,12}/[0-9]{17,19}/[A-Za-z0-9]{23,25}",
    keywords: ["hooks.slack.com/workflows/", "hooks.slack.com/triggers/"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `url = "https://hooks.slack.com/workflows/T${r.upperAlnum(10)}/A${r.upperAlnum(10)}/${r.digits(18)}/${r.alnum(24)}"`],
      negative: [{ text: (r) => `https://hooks.slack.com/workflows/T${r.upperAlnum(10)}/A${r.upperAlnum(10)}/`, reason: "incomplete URL" }],
    },
  },
];
