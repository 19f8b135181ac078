import type { PatternDefinition } from "../pattern.js";

export const nugetPatterns: PatternDefinition[] = [
  {
    id: "nuget_api_key",
    name: "NuGet API Key",
    provider: "NuGet",
    // nuget.org API keys: oy2 and 43 lowercase base32-like characters.
    regex: "oy2[a-z0-9]{43}",
    keywords: ["oy2"],
    mustMatch: ["[0-9].*[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `dotnet nuget push "*.nupkg" --api-key oy2${r.lowerAlnum(20)}7${r.lowerAlnum(22)} -s https://api.nuget.org/v3/index.json`,
        (r) => `NUGET_API_KEY=oy2${r.lowerAlnum(20)}3${r.lowerAlnum(22)}`,
      ],
      negative: [
        { text: (r) => `oy2${r.lowerAlnum(20)}`, reason: "too short" },
        { text: (r) => `oy2${r.upperAlnum(43)}`, reason: "keys are lower case" },
      ],
    },
  },
];
