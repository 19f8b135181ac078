import type { PatternDefinition } from "../pattern.js";

const provider = "Vercel";

/** Vercel credentials since 2025: `vc` + a type letter + `_` + 56 characters (50 random + a 6-character checksum). */
function vercel(id: string, name: string, letter: string, pushProtection: boolean, context: string): PatternDefinition {
  const prefix = `vc${letter}_`;
  return {
    id,
    name,
    provider,
    regex: `${prefix}[A-Za-z0-9_-]{50}[A-Za-z0-9]{6}`,
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: [prefix],
    mustMatch: ["[0-9]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection,
    examples: {
      positive: [(r) => `${context}=${prefix}${r.base64url(49)}7${r.alnum(6)}`, (r) => `vercel deploy --token ${prefix}${r.alnum(49)}3${r.alnum(6)}`],
      negative: [
        { text: (r) => `${prefix}${r.alnum(30)}`, reason: "too short" },
        { text: (r) => `${prefix.toUpperCase()}${r.alnum(56)}`, reason: "prefix is lower case" },
      ],
    },
  };
}

export const vercelPatterns: PatternDefinition[] = [
  vercel("vercel_api_key", "Vercel API Key", "k", true, "VERCEL_API_KEY"),
  vercel("vercel_app_refresh_token", "Vercel App Refresh Token", "r", false, "VERCEL_REFRESH_TOKEN"),
  vercel("vercel_app_user_access_token", "Vercel App User Access Token", "a", false, "VERCEL_ACCESS_TOKEN"),
  vercel("vercel_integration_access_token", "Vercel Integration Access Token", "i", true, "VERCEL_INTEGRATION_TOKEN"),
  vercel("vercel_personal_access_token", "Vercel Personal Access Token", "p", true, "VERCEL_TOKEN"),
];
