import type { PatternDefinition } from "../pattern.js";

/** Intercom access tokens are base64 of `tok:<id>:…`. */
export function isIntercomToken(secret: string): boolean {
  const decoded = Buffer.from(secret, "base64").toString("latin1");
  return /^tok:[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}:[0-9]:[0-9]$/.test(decoded);
}

const token = (r: { hex(n: number): string }) =>
  Buffer.from(`tok:${r.hex(8)}_${r.hex(4)}_${r.hex(4)}_${r.hex(4)}_${r.hex(12)}:1:0`).toString("base64");

export const intercomPatterns: PatternDefinition[] = [
  {
    id: "intercom_access_token",
    name: "Intercom Access Token",
    provider: "Intercom",
    regex: "dG9rO[A-Za-z0-9+/]{50,60}={0,2}",
    after: "\\z|[^A-Za-z0-9+/=]",
    keywords: ["dG9rO"],
    validate: isIntercomToken,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `INTERCOM_ACCESS_TOKEN=${token(r)}`, (r) => `curl https://api.intercom.io/me -H 'Authorization: Bearer ${token(r)}'`],
      negative: [
        { text: (r) => `dG9rO${r.alnum(55)}`, reason: "does not decode to an Intercom token" },
        { text: Buffer.from("tok:not-an-id").toString("base64"), reason: "too short" },
      ],
    },
  },
];
