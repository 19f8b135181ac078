import type { PatternDefinition } from "../pattern.js";

const provider = "Lichess";

function lichessToken(id: string, name: string, prefix: string): PatternDefinition {
  return {
    id,
    name,
    provider,
    // Lichess tokens: lip_ (personal) or lio_ (OAuth) and a random base62 string.
    regex: `${prefix}[A-Za-z0-9]{16,64}`,
    keywords: [prefix],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `LICHESS_TOKEN=${prefix}${r.alnum(10)}4Zq${r.alnum(9)}`, (r) => `headers = {"Authorization": "Bearer ${prefix}${r.alnum(12)}8Tk${r.alnum(17)}"}`],
      negative: [
        { text: `LICHESS_TOKEN=${prefix}xxxxxxxxxxxxxxxxxxxx`, reason: "placeholder" },
        { text: (r) => `${prefix}${r.alnum(8)}`, reason: "too short" },
      ],
    },
  };
}

export const lichessPatterns: PatternDefinition[] = [
  lichessToken("lichess_oauth_access_token", "Lichess OAuth Access Token", "lio_"),
  lichessToken("lichess_personal_access_token", "Lichess Personal Access Token", "lip_"),
];
