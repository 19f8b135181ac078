import type { PatternDefinition } from "../pattern.js";

const assigned = (names: string) => `(?i)(?:${names})[\\w.-]{0,25}[\\s'"]{0,3}(?:=|:|=>|:=)[\\s'"]{0,5}`;

export const openweatherPatterns: PatternDefinition[] = [
  {
    id: "openweather_api_key",
    name: "Openweather API Key",
    provider: "Openweather",
    // 32 hex digits: only an OpenWeather name (or its appid parameter on its host) marks them.
    regex: "[0-9a-f]{32}",
    before: `${assigned("openweather|owm")}|(?i)api\\.openweathermap\\.org/[^\\s'"]{0,120}[?&]appid=`,
    keywords: ["openweather", "owm_", "owm-"],
    window: { before: 160, after: 220 },
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    // GitHub's push protection covers this type, but Vigil recognises it only by a nearby name (its shape is generic):
    // not proof enough to block a push. Reported, never blocking (a catalog test holds every low-confidence pattern to this).
    pushProtection: false,
    examples: {
      positive: [
        (r) => `OPENWEATHER_API_KEY=${r.hex(32)}`,
        (r) => `fetch("https://api.openweathermap.org/data/2.5/weather?q=Paris&appid=${r.hex(32)}")`,
      ],
      negative: [
        { text: (r) => `md5 = "${r.hex(32)}"`, reason: "a hash with no OpenWeather name" },
        { text: "OPENWEATHER_CITY=Paris", reason: "not a key" },
      ],
    },
  },
];
