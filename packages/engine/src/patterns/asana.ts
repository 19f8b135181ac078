import type { PatternDefinition } from "../pattern.js";

const provider = "Asana";

export const asanaPatterns: PatternDefinition[] = [
  {
    id: "asana_legacy_format_personal_access_token",
    name: "Asana Legacy Format Personal Access Token",
    provider,
    // The oldest format: `0/` + 32 hex digits; only where assigned to an Asana name.
    regex: "0/[a-f0-9]{32}",
    before: "(?i)asana[\\w.-]{0,24}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}",
    keywords: ["asana"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `ASANA_TOKEN=0/${r.hex(32)}`, (r) => `asana_access_token: "0/${r.hex(32)}"`],
      negative: [
        { text: (r) => `token = "0/${r.hex(32)}"`, reason: "no Asana name" },
        { text: (r) => `ASANA_TOKEN=0/${r.hex(16)}`, reason: "too short" },
      ],
    },
  },
  {
    id: "asana_personal_access_token",
    name: "Asana Personal Access Token",
    provider,
    // `1/<user id>:<32 hex>` and the current `2/<user id>/<app id>:<32 hex>`. The shape is distinctive, but short
    // prefixes cannot drive the prefilter, so an Asana name must be near.
    regex: "(?:1/[0-9]{13,19}|2/[0-9]{13,19}/[0-9]{13,19}):[a-f0-9]{32}",
    keywords: ["asana"],
    window: { before: 256, after: 256 },
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `ASANA_PAT=2/120${r.digits(13)}/120${r.digits(13)}:${r.hex(32)}`,
        (r) => `client = asana.Client.access_token("1/11${r.digits(14)}:${r.hex(32)}")`,
      ],
      negative: [
        { text: (r) => `version = "2/${r.digits(16)}/${r.digits(16)}:${r.hex(32)}"`, reason: "no Asana name nearby" },
        {
          text: (r) => `ASANA_PAT=2/${r.digits(16)}/${r.digits(16)}:${r.hex(20)}`,
          reason: "the secret part is 32 hex digits",
        },
      ],
    },
  },
];
