import type { PatternDefinition } from "../pattern.js";

export const neonPatterns: PatternDefinition[] = [
  {
    id: "neon_connection_uri",
    name: "Neon Connection URI",
    provider: "Neon",
    // Neon compute endpoints: ep-<words>-<id>[-pooler].<region>.<cloud>.neon.tech.
    regex: "postgres(?:ql)?://[A-Za-z0-9._~%!$&*+;=-]+:[^\\s@/'\"`<>]{3,128}@ep-[a-z0-9-]+\\.[a-z0-9-]+(?:\\.(?:aws|azure|gcp))?\\.neon\\.tech(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%-]*)?",
    keywords: [".neon.tech"],
    window: { before: 220, after: 64 },
    mustNotMatch: ["(?i)^[a-z]+://[^:/]*:(?:password|passwd|pass|pwd|secret|example|test|changeme|\\*+)@"],
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `DATABASE_URL="postgresql://neondb_owner:npg_${r.alnum(12)}@ep-cool-darkness-${r.lowerAlnum(8)}-pooler.us-east-2.aws.neon.tech/neondb?sslmode=require"`,
      ],
      negative: [
        { text: "postgresql://user:password@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb", reason: "documentation's example password" },
        { text: "https://console.neon.tech/app/projects", reason: "not a connection URI" },
      ],
    },
  },
];
