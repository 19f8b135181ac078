import type { PatternDefinition } from "../pattern.js";

const provider = "PostHog";

/**
 * PostHog keys are a type prefix + a random integer in base62: 35 bytes (up to
 * 48 characters) for personal and secure feature-flag keys, 32 bytes (up to 43)
 * for OAuth tokens (posthog `models/utils.py`). `phc_` project keys are public.
 */
function posthog(id: string, name: string, prefix: string, length: [number, number], pushProtection: boolean, context: string): PatternDefinition {
  const [min, max] = length;
  return {
    id,
    name,
    provider,
    regex: `${prefix}[A-Za-z0-9]{${min},${max}}`,
    keywords: [prefix],
    mustMatch: ["[0-9]", "[A-Z]", "[a-z]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection,
    examples: {
      positive: [
        (r) => `${context}=${prefix}${r.alnum(max - 3)}A1b`,
        (r) => `posthog_key: "${prefix}${r.alnum(min - 3)}Zz9"`,
      ],
      negative: [
        { text: (r) => `${prefix}${r.alnum(20)}`, reason: "too short" },
        { text: (r) => `phc_${r.alnum(max)}`, reason: "a public project key, not this secret" },
      ],
    },
  };
}

export const posthogPatterns: PatternDefinition[] = [
  posthog("posthog_feature_flags_secure_api_key", "PostHog Feature Flags Secure API Key", "phs_", [40, 48], true, "POSTHOG_SECURE_API_KEY"),
  posthog("posthog_oauth_access_token", "PostHog OAuth Access Token", "pha_", [36, 43], false, "POSTHOG_ACCESS_TOKEN"),
  posthog("posthog_oauth_refresh_token", "PostHog OAuth Refresh Token", "phr_", [36, 43], true, "POSTHOG_REFRESH_TOKEN"),
  posthog("posthog_personal_api_key", "PostHog Personal API Key", "phx_", [40, 48], true, "POSTHOG_PERSONAL_API_KEY"),
];
