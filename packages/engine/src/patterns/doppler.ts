import type { PatternDefinition } from "../pattern.js";

const provider = "Doppler";

/** docs.doppler.com "Token formats": `dp.<type>.` + 40 to 44 alphanumerics; service tokens may name their config. */
function dopplerToken(id: string, name: string, type: string, env: string): PatternDefinition {
  const prefix = `dp.${type}.`;
  return {
    id,
    name,
    provider,
    regex: type === "st" ? "dp\\.st\\.(?:[a-z0-9_-]{2,35}\\.)?[A-Za-z0-9]{40,44}" : `${prefix.replace(/\./g, "\\.")}[A-Za-z0-9]{40,44}`,
    keywords: [prefix],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `${env}=${prefix}${r.alnum(43)}`,
        type === "st" ? (r) => `doppler run --token "dp.st.prd.${r.alnum(40)}" -- ./start` : (r) => `token: "${prefix}${r.alnum(40)}"`,
      ],
      negative: [
        { text: (r) => `${prefix}${r.alnum(20)}`, reason: "too short" },
        { text: `${env}=${prefix}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`, reason: "placeholder" },
      ],
    },
  };
}

export const dopplerPatterns: PatternDefinition[] = [
  dopplerToken("doppler_audit_token", "Doppler Audit Token", "audit", "DOPPLER_AUDIT_TOKEN"),
  dopplerToken("doppler_cli_token", "Doppler CLI Token", "ct", "DOPPLER_TOKEN"),
  dopplerToken("doppler_personal_token", "Doppler Personal Token", "pt", "DOPPLER_TOKEN"),
  dopplerToken("doppler_scim_token", "Doppler SCIM Token", "scim", "DOPPLER_SCIM_TOKEN"),
  dopplerToken("doppler_service_account_token", "Doppler Service Account Token", "sa", "DOPPLER_TOKEN"),
  dopplerToken("doppler_service_token", "Doppler Service Token", "st", "DOPPLER_TOKEN"),
];
