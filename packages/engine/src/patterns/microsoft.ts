import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

const provider = "Microsoft";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const uuid = (r: ExampleRandom) => `${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`;

export const microsoftPatterns: PatternDefinition[] = [
  {
    id: "microsoft_teams_incoming_webhook_url",
    name: "Microsoft Teams Incoming Webhook URL",
    provider,
    // Office 365 connector webhooks: group@tenant, connector id, connector configuration (and a signature on newer URLs).
    regex: `https://(?:outlook\\.office\\.com/webhook|[a-z0-9-]+\\.webhook\\.office\\.com/webhookb2)/${UUID}@${UUID}/IncomingWebhook/[0-9a-f]{32}/${UUID}(?:/[A-Za-z0-9_-]{40,100})?`,
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["outlook.office.com/webhook/", ".webhook.office.com/webhookb2/"],
    window: { before: 64, after: 360 },
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `TEAMS_WEBHOOK_URL=https://contoso.webhook.office.com/webhookb2/${uuid(r)}@${uuid(r)}/IncomingWebhook/${r.hex(32)}/${uuid(r)}/V2${r.base64url(44)}`,
        (r) => `webhook: https://outlook.office.com/webhook/${uuid(r)}@${uuid(r)}/IncomingWebhook/${r.hex(32)}/${uuid(r)}`,
      ],
      negative: [
        { text: (r) => `https://outlook.office.com/webhook/${uuid(r)}@${uuid(r)}/JenkinsCI/${r.hex(32)}/${uuid(r)}`, reason: "another connector, not an incoming webhook" },
        { text: "https://outlook.office.com/webhook/", reason: "no webhook ids" },
      ],
    },
  },
  {
    id: "power_automate_webhook_sas",
    name: "Power Automate Webhook SAS",
    provider,
    // An HTTP-triggered flow's URL carries its shared access signature in `sig=`.
    regex: "https://prod-[0-9]{1,3}\\.[a-z0-9]+\\.logic\\.azure\\.com(?::443)?/workflows/[0-9a-f]{32}/triggers/[A-Za-z0-9_%.-]+/paths/invoke\\?[A-Za-z0-9_%.=&-]*?sig=[A-Za-z0-9_%-]{43,86}",
    after: "\\z|[^A-Za-z0-9_%-]",
    keywords: [".logic.azure.com"],
    window: { before: 48, after: 400 },
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) =>
          `FLOW_URL="https://prod-${r.digits(2)}.westeurope.logic.azure.com:443/workflows/${r.hex(32)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${r.base64url(43)}"`,
      ],
      negative: [
        {
          text: (r) => `https://prod-${r.digits(2)}.westeurope.logic.azure.com:443/workflows/${r.hex(32)}/triggers/manual/paths/invoke?api-version=2016-06-01`,
          reason: "no signature",
        },
      ],
    },
  },
];
