import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

const provider = "Wakatime";

const uuid4 = (r: ExampleRandom): string => `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-a${r.hex(3)}-${r.hex(12)}`;

/** OAuth credentials: `waka_sec_` (app secret), `waka_tok_` (access), `waka_ref_` (refresh) + a random alphanumeric body. */
function oauth(id: string, name: string, kind: string, validityCheck: boolean, context: string): PatternDefinition {
  const prefix = `waka_${kind}_`;
  return {
    id,
    name,
    provider,
    regex: `${prefix}[A-Za-z0-9]{40,100}`,
    keywords: [prefix],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck,
    examples: {
      positive: [(r) => `${context}=${prefix}${r.alnum(80)}`, (r) => `access_token=${prefix}${r.alnum(80)}&token_type=bearer`],
      negative: [
        { text: `${prefix}12345`, reason: "a documentation stub, too short" },
        { text: (r) => `${prefix}${r.alnum(20)}`, reason: "too short" },
      ],
    },
  };
}

export const wakatimePatterns: PatternDefinition[] = [
  {
    id: "wakatime_api_key",
    name: "WakaTime API Key",
    provider,
    // `waka_` + a version-4 UUID (wakatime-cli's own check).
    regex: "waka_[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}",
    keywords: ["waka_"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `[settings]\napi_key = waka_${uuid4(r)}\n`, (r) => `WAKATIME_API_KEY=waka_${uuid4(r).toUpperCase()}`],
      negative: [
        { text: (r) => `waka_${r.hex(8)}-${r.hex(4)}-1${r.hex(3)}-a${r.hex(3)}-${r.hex(12)}`, reason: "not a version-4 UUID" },
        { text: (r) => `waka_${r.hex(32)}`, reason: "a UUID without dashes" },
      ],
    },
  },
  oauth("wakatime_app_secret", "WakaTime App Secret", "sec", false, "WAKATIME_APP_SECRET"),
  oauth("wakatime_oauth_access_token", "WakaTime OAuth Access Token", "tok", true, "WAKATIME_ACCESS_TOKEN"),
  oauth("wakatime_oauth_refresh_token", "WakaTime OAuth Refresh Token", "ref", false, "WAKATIME_REFRESH_TOKEN"),
];
