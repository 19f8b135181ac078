import { hasValidGithubChecksum } from "../checksum/github-token.js";
import type { PatternDefinition } from "../pattern.js";

export const npmPatterns: PatternDefinition[] = [
  {
    id: "npm_access_token",
    name: "npm Access Token",
    provider: "npm",
    regex: "npm_[A-Za-z0-9]{36}",
    keywords: ["npm_"],
    // npm adopted GitHub's token format: the last six characters are a base62 CRC32.
    validate: hasValidGithubChecksum,
    validation: {
      kind: "checksum",
      check: "the CRC32 checksum in the last 6 base62 characters (the scheme of GitHub's tokens)",
    },
    confidence: "high",
    category: "provider",
    pushProtection: true,
    base64: true,
    examples: {
      positive: [(r) => `//registry.npmjs.org/:_authToken=${r.githubToken("npm")}`],
      negative: [
        { text: (r) => `npm_${r.alnum(36)}`, reason: "checksum does not match" },
        { text: "npm_config_registry=https://registry.npmjs.org/", reason: "an npm config variable, not a token" },
      ],
    },
  },
];
