import type { PatternDefinition } from "../pattern.js";

export const weatherstackPatterns: PatternDefinition[] = [
  {
    id: "weatherstack_api_key",
    name: "Weatherstack API Key",
    provider: "Weatherstack",
    // A 32-character lower-case access key: only in a Weatherstack-named assignment or an `access_key=` query near the API host.
    regex: "[a-z0-9]{32}",
    before: "(?i)(?:weatherstack[\\w.-]{0,20}[\\s'\"]{0,3}(?:=|:|=>|:=)[\\s'\"]{0,5}|[?&]access_key=)",
    keywords: ["weatherstack"],
    mustMatch: ["[0-9]", "[a-z]"],
    minEntropy: 3,
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `WEATHERSTACK_API_KEY=${r.hex(30)}z9`,
        (r) => `fetch("http://api.weatherstack.com/current?access_key=${r.lowerAlnum(30)}a1&query=Paris")`,
      ],
      negative: [
        { text: (r) => `WEATHERSTACK_API_KEY=${r.hex(20)}`, reason: "too short" },
        { text: (r) => `weatherstack = true\nchecksum = ${r.hex(32)}`, reason: "a hex value not assigned to a Weatherstack setting" },
      ],
    },
  },
];
