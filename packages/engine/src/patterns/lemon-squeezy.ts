import type { PatternDefinition } from "../pattern.js";
import { decodeJsonSegment } from "./support/json-segment.js";

/** The base64url JOSE header `{"typ":"JWT","alg":"RS256"}` that Lemon Squeezy API keys (Laravel Passport tokens) carry. */
const HEADER = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9";

/** A Passport personal access token: `aud`, `jti`, `sub` and `scopes` claims. */
export function isPassportToken(secret: string): boolean {
  const payload = decodeJsonSegment(secret.split(".")[1] ?? "");
  return payload !== undefined && "aud" in payload && "jti" in payload && "sub" in payload;
}

function apiKey(aud: string, jti: string, signature: string): string {
  const payload = Buffer.from(JSON.stringify({ aud, jti, iat: 1700000000.5, nbf: 1700000000.5, sub: "123456", scopes: [] })).toString("base64url");
  return `${HEADER}.${payload}.${signature}`;
}

export const lemonSqueezyPatterns: PatternDefinition[] = [
  {
    id: "lemon_squeezy_api_key",
    name: "Lemon Squeezy API Key",
    provider: "Lemon Squeezy",
    // A JWT with an RS256 header is common; only one beside a Lemon Squeezy mention is taken for a key. Not in GitHub's list.
    regex: `${HEADER}\\.eyJ[A-Za-z0-9_-]{100,1000}\\.[A-Za-z0-9_-]{256,700}`,
    after: "\\z|[^A-Za-z0-9_.-]",
    keywords: ["lemonsqueezy", "lemon_squeezy", "lemon-squeezy"],
    window: { before: 128, after: 2048 },
    validate: isPassportToken,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `LEMONSQUEEZY_API_KEY=${apiKey(r.hex(32), r.hex(80), r.base64url(512))}`],
      negative: [
        { text: (r) => `token = ${apiKey(r.hex(32), r.hex(80), r.base64url(512))}`, reason: "an RS256 JWT with no Lemon Squeezy context" },
        { text: (r) => `LEMONSQUEEZY_API_KEY=${HEADER}.eyJ${r.base64url(150)}.${r.base64url(512)}`, reason: "the payload is not a Passport token's claims" },
      ],
    },
  },
];
