import { crc32 } from "../checksum/crc32.js";
import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

/** Atlassian API tokens end in `=` + 8 upper-case hex digits: the CRC-32 of everything before them, `=` included. */
function hasAtlassianChecksum(token: string): boolean {
  const body = token.slice(0, -8);
  return crc32(body).toString(16).toUpperCase().padStart(8, "0") === token.slice(-8);
}

function apiToken(r: ExampleRandom): string {
  const body = `ATATT3xFfGF0${r.base64url(167)}=`;
  return body + crc32(body).toString(16).toUpperCase().padStart(8, "0");
}

export const atlassianPatterns: PatternDefinition[] = [
  {
    id: "atlassian_api_token",
    name: "Atlassian API Token",
    provider: "Atlassian",
    // Current API tokens (Jira, Confluence): `ATATT3` + base64url + `=` + CRC-32 (8 hex digits), 192 characters in all.
    regex: "ATATT3[A-Za-z0-9_-]{150,250}=[0-9A-F]{8}",
    after: "\\z|[^A-Za-z0-9_=-]",
    keywords: ["ATATT3"],
    window: { before: 64, after: 320 },
    validate: hasAtlassianChecksum,
    validation: { kind: "checksum", check: "Atlassian's CRC32 checksum (the 8 hex digits after the last `=`)" },
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `JIRA_API_TOKEN=${apiToken(r)}`,
        (r) => `jira = JIRA(server, basic_auth=("me@example.com", "${apiToken(r)}"))`,
      ],
      negative: [
        { text: (r) => `${apiToken(r).slice(0, -8)}00000000`, reason: "wrong checksum" },
        { text: 'JIRA_API_TOKEN="ATATT3xFfGF0..."', reason: "truncated in documentation" },
      ],
    },
  },
];
