import type { PatternDefinition } from "../pattern.js";
import { decodeJsonSegment } from "./support/json-segment.js";

/** base64url of `"temporal.io"` at each byte alignment inside a JWT payload. */
const TEMPORAL_IO_B64 = ["InRlbXBvcmFsLmlvI", "J0ZW1wb3JhbC5pby", "idGVtcG9yYWwuaW8i"];

/** A Temporal Cloud API key is a JWT issued by (or for) `temporal.io` with `account_id` and `key_id` claims. */
export function isTemporalCloudApiKey(secret: string): boolean {
  const payload = decodeJsonSegment(secret.split(".")[1] ?? "");
  if (!payload || !("account_id" in payload) || !("key_id" in payload)) return false;
  const aud = payload["aud"];
  return payload["iss"] === "temporal.io" || aud === "temporal.io" || (Array.isArray(aud) && aud.includes("temporal.io"));
}

function apiKey(account: string, key: string, signature: string): string {
  const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${b64({ alg: "ES256", kid: key.slice(0, 8) })}.${b64({ account_id: account, aud: ["temporal.io"], exp: 2000000000, iss: "temporal.io", key_id: key, sub: `user-${account}` })}.${signature}`;
}

export const temporalPatterns: PatternDefinition[] = [
  {
    id: "temporal_cloud_api_key",
    name: "Temporal Cloud API Key",
    provider: "Temporal",
    regex: "eyJ[A-Za-z0-9_-]{10,300}\\.eyJ[A-Za-z0-9_-]{10,1000}\\.[A-Za-z0-9_-]{20,400}",
    after: "\\z|[^A-Za-z0-9_.-]",
    keywords: TEMPORAL_IO_B64,
    window: { before: 256, after: 768 },
    validate: isTemporalCloudApiKey,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `TEMPORAL_API_KEY=${apiKey(r.lowerAlnum(5), r.hex(32), r.base64url(86))}`],
      negative: [
        {
          text: (r) => {
            const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
            return `${b64({ alg: "ES256" })}.${b64({ aud: ["temporal.io"], sub: "x" })}.${r.base64url(86)}`;
          },
          reason: "no account and key ids",
        },
        { text: (r) => `eyJ${r.base64url(20)}.eyJ${r.base64url(80)}.${r.base64url(86)}`, reason: "a JWT from another issuer" },
      ],
    },
  },
];
