import type { PatternDefinition } from "../pattern.js";

/**
 * A Bitbucket Server / Data Center HTTP access token is the base64 of `<12-digit token id>:<20 random bytes>`:
 * 44 characters with no prefix, so it must decode to that structure.
 */
export function isBitbucketServerToken(secret: string): boolean {
  const raw = Buffer.from(secret, "base64");
  return raw.length === 33 && /^[0-9]{12}:$/.test(raw.subarray(0, 13).toString("latin1"));
}

const token = (digits: (n: number) => string, bytes: (n: number) => string): string =>
  Buffer.concat([Buffer.from(`${digits(12)}:`, "latin1"), Buffer.from(bytes(20), "latin1")]).toString("base64");

export const bitbucketPatterns: PatternDefinition[] = [
  {
    id: "bitbucket_server_personal_access_token",
    name: "Bitbucket Server Personal Access Token",
    provider: "Bitbucket",
    regex: "[MNO][A-Za-z0-9+/]{43}",
    before: "\\A|[^A-Za-z0-9+/]",
    after: "\\z|[^A-Za-z0-9+/=]",
    // The token has no literal part: the prefilter looks for the product's name nearby.
    keywords: ["bitbucket"],
    window: { before: 256, after: 256 },
    validate: isBitbucketServerToken,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `BITBUCKET_TOKEN=${token((n) => r.digits(n), (n) => r.chars("\x00\x01\x7f\x80\xfe\xffabcXYZ019+/", n))}`,
        (r) => `bitbucket:\n  url: https://git.example.com\n  token: "${token((n) => r.digits(n), (n) => r.alnum(n))}"\n`,
      ],
      negative: [
        { text: (r) => `BITBUCKET_TOKEN=M${r.alnum(43)}`, reason: "does not decode to a token id and secret" },
        { text: (r) => `BITBUCKET_TOKEN=${token((n) => r.digits(n), (n) => r.alnum(n)).slice(0, 40)}`, reason: "truncated" },
      ],
    },
  },
];
