import type { PatternDefinition } from "../pattern.js";

const provider = "Harness";

function harnessToken(id: string, name: string, kind: "pat" | "sat"): PatternDefinition {
  return {
    id,
    name,
    provider,
    // `pat.` / `sat.` + account id (22) + `.` + token id (24) + `.` + secret (20). `pat.` is too common a
    // fragment ("compat.") to search for, so the prefilter looks for the word Harness nearby.
    regex: `${kind}\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{20}`,
    keywords: ["harness"],
    window: { before: 256, after: 256 },
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `HARNESS_PLATFORM_API_KEY=${kind}.${r.base64url(22)}.${r.alnum(24)}.${r.alnum(20)}`],
      negative: [
        { text: (r) => `harness: ${kind}.${r.alnum(22)}.${r.alnum(24)}`, reason: "the secret part is missing" },
        { text: (r) => `import six.moves.compat.${r.alnum(22)}`, reason: "a module path" },
      ],
    },
  };
}

export const harnessPatterns: PatternDefinition[] = [
  harnessToken("harness_personal_access_token", "Harness Personal Access Token", "pat"),
  harnessToken("harness_service_account_token", "Harness Service Account Token", "sat"),
];
