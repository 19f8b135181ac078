import type { PatternDefinition } from "../pattern.js";
import { decodeJsonSegment } from "./support/json-segment.js";

const provider = "Supabase";

/** base64url of `"service_role"` at each of the three byte alignments inside a JWT payload. */
const SERVICE_ROLE_B64 = ["InNlcnZpY2Vfcm9sZS", "JzZXJ2aWNlX3JvbGUi", "ic2VydmljZV9yb2xlI"];

/** A legacy service key is a JWT whose claims carry `role: service_role` and a Supabase issuer. */
export function isSupabaseServiceKey(secret: string): boolean {
  const [header = "", payload = ""] = secret.split(".");
  const claims = decodeJsonSegment(payload);
  return decodeJsonSegment(header)?.["alg"] !== undefined && claims?.["role"] === "service_role" && typeof claims["iss"] === "string" && claims["iss"].includes("supabase");
}

function serviceKey(ref: string, signature: string): string {
  const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const header = b64({ alg: "HS256", typ: "JWT" });
  const payload = b64({ iss: "supabase", ref, role: "service_role", iat: 1700000000, exp: 2015576000 });
  return `${header}.${payload}.${signature}`;
}

export const supabasePatterns: PatternDefinition[] = [
  {
    id: "supabase_personal_access_token",
    name: "Supabase Personal Access Token",
    provider,
    // Management API tokens: `sbp_` + 40 lower-case hex (the Supabase CLI's own check).
    regex: "sbp_[a-f0-9]{40}",
    keywords: ["sbp_"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `SUPABASE_ACCESS_TOKEN=sbp_${r.hex(40)}`, (r) => `supabase login --token sbp_${r.hex(40)}`],
      negative: [
        { text: (r) => `sbp_${r.hex(24)}`, reason: "too short" },
        { text: (r) => `sbp_${r.upper(40)}`, reason: "not hexadecimal" },
      ],
    },
  },
  {
    id: "supabase_secret_key",
    name: "Supabase Secret Key",
    provider,
    // Project secret keys: `sb_secret_` + a URL-safe body (`sb_publishable_` keys are public).
    regex: "sb_secret_[A-Za-z0-9_-]{30,64}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["sb_secret_"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `SUPABASE_SECRET_KEY=sb_secret_${r.base64url(31)}`, (r) => `createClient(url, "sb_secret_${r.alnum(31)}")`],
      negative: [
        { text: (r) => `sb_publishable_${r.alnum(31)}`, reason: "a publishable key is public" },
        { text: (r) => `sb_secret_${r.alnum(10)}`, reason: "too short" },
      ],
    },
  },
  {
    id: "supabase_service_key",
    name: "Supabase Service Key",
    provider,
    regex: "eyJ[A-Za-z0-9_-]{10,200}\\.eyJ[A-Za-z0-9_-]{10,1000}\\.[A-Za-z0-9_-]{20,200}",
    after: "\\z|[^A-Za-z0-9_.-]",
    keywords: SERVICE_ROLE_B64,
    window: { before: 256, after: 512 },
    validate: isSupabaseServiceKey,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `SUPABASE_SERVICE_ROLE_KEY=${serviceKey(r.lower(20), r.base64url(43))}`,
        (r) => `const supabase = createClient(url, "${serviceKey(r.lower(20), r.base64url(43))}");`,
      ],
      negative: [
        {
          text: (r) => {
            const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
            return `SUPABASE_ANON_KEY=${b64({ alg: "HS256", typ: "JWT" })}.${b64({ iss: "supabase", ref: r.lower(20), role: "anon" })}.${r.base64url(43)}`;
          },
          reason: "the anon key is public",
        },
        {
          text: (r) => {
            const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
            return `${b64({ alg: "HS256" })}.${b64({ iss: "example.com", role: "service_role" })}.${r.base64url(43)}`;
          },
          reason: "a service_role JWT from another issuer",
        },
      ],
    },
  },
];
