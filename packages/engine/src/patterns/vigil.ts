import { hasValidGithubChecksum } from "../checksum/github-token.js";
import type { PatternDefinition } from "../pattern.js";

/**
 * Vigil's own API tokens: `vgl_` + 30 random base62 characters + the 6-character base62 CRC32 of
 * them, the layout of GitHub's `ghp_` tokens, so a leaked one is found offline with a checksum.
 */
export const vigilPatterns: PatternDefinition[] = [
  {
    id: "vigil_api_token",
    name: "Vigil API Token",
    provider: "Vigil",
    regex: "vgl_[A-Za-z0-9]{36}",
    keywords: ["vgl_"],
    validate: hasValidGithubChecksum,
    validation: {
      kind: "checksum",
      check: "the CRC32 checksum in the last 6 base62 characters (the scheme of GitHub's tokens)",
    },
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `export VIGIL_TOKEN=${r.githubToken("vgl")}`,
        (r) => `curl -H "Authorization: Bearer ${r.githubToken("vgl")}" https://vigil.example/api/v3/user`,
      ],
      negative: [
        { text: (r) => `VIGIL_TOKEN=vgl_${r.alnum(36)}`, reason: "random tail: the CRC32 checksum does not match" },
        {
          text: (r) => `VIGIL_TOKEN=vgl_${r.githubToken("vgl").slice(4, 35)}`,
          reason: "truncated: too short for a token",
        },
        { text: (r) => `xvgl_${r.githubToken("vgl").slice(4)}`, reason: "prefix is inside a longer identifier" },
        { text: "VIGIL_TOKEN=vgl_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
      ],
    },
  },
];
