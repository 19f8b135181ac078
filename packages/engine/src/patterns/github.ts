import { hasValidGithubChecksum } from "../checksum/github-token.js";
import type { PatternDefinition } from "../pattern.js";

const provider = "GitHub";

/** What `checksummed` checks, for `--explain`. */
export const GITHUB_CRC32 = "the CRC32 checksum GitHub puts in the last 6 base62 characters";

/** Classic-format tokens carry a CRC32 checksum; a string with a wrong one is not a token. */
const checksummed = (secret: string): boolean => secret.length !== 40 || hasValidGithubChecksum(secret);

export const githubPatterns: PatternDefinition[] = [
  {
    id: "github_app_installation_access_token",
    name: "GitHub App Installation Access Token",
    provider,
    regex: "ghs_[A-Za-z0-9]{36}",
    keywords: ["ghs_"],
    validate: checksummed,
    validation: { kind: "checksum", check: GITHUB_CRC32 },
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    base64: true,
    examples: {
      positive: [(r) => `GITHUB_TOKEN=${r.githubToken("ghs")}`],
      negative: [{ text: (r) => `ghs_${r.alnum(36)}`, reason: "random tail: the CRC32 checksum does not match" }],
    },
  },
  {
    id: "github_oauth_access_token",
    name: "GitHub OAuth Access Token",
    provider,
    // `ghu_` (GitHub App user-to-server) tokens are OAuth access tokens too.
    regex: "gh[ou]_[A-Za-z0-9]{36}",
    keywords: ["gho_", "ghu_"],
    validate: checksummed,
    validation: { kind: "checksum", check: GITHUB_CRC32 },
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    base64: true,
    examples: {
      positive: [(r) => `token: ${r.githubToken("gho")}`, (r) => `"${r.githubToken("ghu")}"`],
      negative: [
        { text: (r) => `gho_${r.alnum(36)}`, reason: "checksum does not match" },
        { text: (r) => `gho_${r.alnum(30)}`, reason: "too short" },
      ],
    },
  },
  {
    id: "github_personal_access_token",
    name: "GitHub Personal Access Token",
    provider,
    regex: "ghp_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
    keywords: ["ghp_", "github_pat_"],
    validate: (secret) => (secret.startsWith("ghp_") ? hasValidGithubChecksum(secret) : true),
    validation: { kind: "checksum", check: GITHUB_CRC32 },
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    base64: true,
    examples: {
      positive: [
        (r) => `export GH_TOKEN=${r.githubToken("ghp")}`,
        (r) => `const token = "github_pat_${r.alnum(22)}_${r.alnum(59)}";`,
        (r) => `auth = '${r.githubToken("ghp")}' # deploy`,
      ],
      negative: [
        { text: (r) => `ghp_${r.alnum(36)}`, reason: "checksum does not match" },
        { text: (r) => `xghp_${r.githubToken("ghp").slice(4)}`, reason: "prefix is inside a longer identifier" },
        { text: "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
      ],
    },
  },
  {
    id: "github_refresh_token",
    name: "GitHub Refresh Token",
    provider,
    regex: "ghr_[A-Za-z0-9]{36}(?:[A-Za-z0-9]{40})?",
    keywords: ["ghr_"],
    validate: checksummed,
    validation: { kind: "checksum", check: GITHUB_CRC32 },
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    base64: true,
    examples: {
      positive: [(r) => `refresh_token=${r.githubToken("ghr")}`, (r) => `"refresh": "ghr_${r.alnum(76)}"`],
      negative: [{ text: (r) => `ghr_${r.alnum(36)}`, reason: "checksum does not match" }],
    },
  },
];
