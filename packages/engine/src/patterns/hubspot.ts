import type { PatternDefinition } from "../pattern.js";

const provider = "Hubspot";
const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,20}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const hubspotPatterns: PatternDefinition[] = [
  {
    id: "hubspot_api_key",
    name: "Hubspot API Key",
    provider,
    // Legacy developer API keys ("hapikey") are bare UUIDs: only a HubSpot name marks them.
    regex: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    before: assigned("hubspot|hapikey"),
    keywords: ["hubspot", "hapikey"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    // GitHub's push protection covers this type, but Vigil recognises it only by a nearby name (its shape is generic):
    // not proof enough to block a push. Reported, never blocking (a catalog test holds every low-confidence pattern to this).
    pushProtection: false,
    examples: {
      positive: [
        (r) => `HUBSPOT_API_KEY=${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`,
        (r) => `hapikey: "${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}"`,
      ],
      negative: [
        {
          text: (r) => `request_id = "${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}"`,
          reason: "a UUID with no HubSpot name",
        },
        { text: "HUBSPOT_PORTAL_ID=1234567", reason: "a portal id, not a key" },
      ],
    },
  },
  {
    id: "hubspot_private_apps_user_token",
    name: "Hubspot Private Apps User Token",
    provider,
    // Private app access tokens: pat-<region>-<uuid>.
    regex: "pat-(?:na|eu|ap)[0-9]-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    keywords: ["pat-na", "pat-eu", "pat-ap"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `HUBSPOT_ACCESS_TOKEN=pat-na1-${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`,
        (r) =>
          `const hubspotClient = new hubspot.Client({ accessToken: "pat-eu1-${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}" });`,
      ],
      negative: [
        { text: "pat-na1-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", reason: "placeholder" },
        { text: (r) => `pat-na1-${r.hex(8)}-${r.hex(4)}`, reason: "truncated" },
      ],
    },
  },
];
