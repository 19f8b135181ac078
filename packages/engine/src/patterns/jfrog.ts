import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";
import { decodeJsonSegment } from "./support/json-segment.js";

const provider = "JFrog";

/** JFrog access tokens are JWTs whose issuer and subject are JFrog services (`jfac@…`, `jfrt@…`). */
export function isJfrogAccessToken(secret: string): boolean {
  const [header = "", payload = ""] = secret.split(".");
  const h = decodeJsonSegment(header);
  const p = decodeJsonSegment(payload);
  const jfrog = (v: unknown): boolean => typeof v === "string" && /^jf[a-z]{2}@/.test(v);
  return h?.["typ"] === "JWT" && p !== undefined && (jfrog(p["iss"]) || jfrog(p["sub"]));
}

/** Reference tokens are base64 of `reftkn:01:<expiry>:<random>`. */
export function isJfrogReferenceToken(secret: string): boolean {
  return /^reftkn:01:[0-9]+:[A-Za-z0-9]+$/.test(Buffer.from(secret, "base64").toString("latin1"));
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function accessToken(r: ExampleRandom): string {
  const header = b64url({ ver: "2", typ: "JWT", alg: "RS256", kid: r.base64url(43) });
  const service = `01${r.lowerAlnum(24)}`;
  const payload = b64url({
    sub: `jfac@${service}/users/deployer`,
    scp: "applied-permissions/user",
    aud: "*@*",
    iss: `jfac@${service}`,
    exp: 1900000000 + Number(r.digits(6)),
    iat: 1700000000 + Number(r.digits(6)),
    jti: `${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`,
  });
  return `${header}.${payload}.${r.base64url(342)}`;
}

const referenceToken = (r: ExampleRandom) => Buffer.from(`reftkn:01:${1900000000 + Number(r.digits(6))}:${r.alnum(27)}`).toString("base64");

export const jfrogPatterns: PatternDefinition[] = [
  {
    id: "jfrog_platform_access_token",
    name: "JFrog Platform Access Token",
    provider,
    // The header every JFrog access token starts with: {"ver":"2","typ":"JWT","alg":"RS256","kid":…
    regex: "eyJ2ZXIiOiIyIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYiLCJraWQiOi[A-Za-z0-9_-]{10,200}\\.[A-Za-z0-9_-]{50,1000}\\.[A-Za-z0-9_-]{40,1000}",
    after: "\\z|[^A-Za-z0-9_.-]",
    keywords: ["eyJ2ZXIiOiIyIiwidHlwIjoiSldUIi"],
    window: { before: 16, after: 2400 },
    validate: isJfrogAccessToken,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `JFROG_ACCESS_TOKEN=${accessToken(r)}`, (r) => `jf config add --url https://acme.jfrog.io --access-token ${accessToken(r)}`],
      negative: [
        {
          text: (r) => `${b64url({ ver: "2", typ: "JWT", alg: "RS256", kid: "k" })}.${b64url({ sub: "alice", iss: "https://auth.example.com" })}.${r.base64url(64)}`,
          reason: "a JWT that JFrog did not issue",
        },
      ],
    },
  },
  {
    id: "jfrog_platform_api_key",
    name: "JFrog Platform API Key",
    provider,
    // Legacy Artifactory API keys: AKCp and 69 base62 characters.
    regex: "AKCp[A-Za-z0-9]{69}",
    keywords: ["akcp"],
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `export ARTIFACTORY_API_KEY=AKCp${r.digits(1)}${r.alnum(30)}Qz7${r.alnum(35)}`, (r) => `curl -H "X-JFrog-Art-Api: AKCp${r.digits(1)}${r.alnum(30)}aB3${r.alnum(35)}" https://acme.jfrog.io/artifactory/api/repositories`],
      negative: [
        { text: (r) => `AKCp${r.alnum(40)}`, reason: "too short" },
        { text: (r) => `AKCp${r.alnum(80)}`, reason: "too long" },
      ],
    },
  },
  {
    id: "jfrog_platform_reference_token",
    name: "JFrog Platform Reference Token",
    provider,
    // base64 of "reftkn:01:"
    regex: "cmVmdGtuOjAxOj[A-Za-z0-9+/]{40,80}={0,2}",
    after: "\\z|[^A-Za-z0-9+/=]",
    keywords: ["cmVmdGtuOjAxOj"],
    validate: isJfrogReferenceToken,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    base64: true,
    examples: {
      positive: [(r) => `JFROG_TOKEN=${referenceToken(r)}`, (r) => `password: "${referenceToken(r)}"`],
      negative: [{ text: (r) => `cmVmdGtuOjAxOj${r.alnum(50)}`, reason: "does not decode to a reference token" }],
    },
  },
];
