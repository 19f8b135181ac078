import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";
import { decodeJsonSegment } from "./support/json-segment.js";

const provider = "1Password";
const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A service account token is `ops_` + base64 of a JSON object carrying the account's sign-in data. */
function isServiceAccountToken(secret: string): boolean {
  const claims = decodeJsonSegment(secret.slice(4));
  return (
    claims !== undefined &&
    typeof claims["email"] === "string" &&
    (typeof claims["secretKey"] === "string" || typeof claims["srpX"] === "string")
  );
}

function serviceAccountToken(r: ExampleRandom): string {
  const json = {
    signInAddress: `${r.lower(8)}.1password.com`,
    userAuth: { method: "SRPg-4096", alg: "PBES2g-HS256", iterations: 650000, salt: r.base64url(22) },
    email: `${r.lower(13)}@1passwordserviceaccounts.com`,
    srpX: r.hex(64),
    muk: { alg: "A256GCM", ext: true, k: r.base64url(43), key_ops: ["encrypt", "decrypt"], kty: "oct", kid: "mp" },
    secretKey: `A3-${r.chars(UPPER_ALNUM, 6)}-${r.chars(UPPER_ALNUM, 6)}-${r.chars(UPPER_ALNUM, 5)}-${r.chars(UPPER_ALNUM, 5)}-${r.chars(UPPER_ALNUM, 5)}-${r.chars(UPPER_ALNUM, 5)}`,
    deviceUuid: r.lowerAlnum(26),
  };
  return `ops_${Buffer.from(JSON.stringify(json)).toString("base64").replace(/=+$/, "")}`;
}

export const onePasswordPatterns: PatternDefinition[] = [
  {
    id: "1password_service_account_token",
    name: "1Password Service Account Token",
    provider,
    // `ops_` + base64 (either alphabet) of the account's JSON sign-in data, several hundred characters long.
    regex: "ops_eyJ[A-Za-z0-9+/_-]{250,}={0,2}",
    after: "\\z|[^A-Za-z0-9+/_=-]",
    keywords: ["ops_eyJ"],
    window: { before: 64, after: 4096 },
    minEntropy: 4,
    validate: isServiceAccountToken,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `export OP_SERVICE_ACCOUNT_TOKEN=${serviceAccountToken(r)}`,
        (r) => `op:\n  token: "${serviceAccountToken(r)}"\n`,
      ],
      negative: [
        {
          text: "export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6...",
          reason: "truncated in documentation",
        },
        {
          text: (r) =>
            `ops_${Buffer.from(JSON.stringify({ name: r.lower(12), items: [r.hex(200), r.hex(200)] })).toString("base64")}`,
          reason: "base64 JSON without a service account's sign-in fields",
        },
      ],
    },
  },
  {
    id: "1password_secret_key",
    name: "1Password Secret Key",
    provider,
    // The account Secret Key from the Emergency Kit: `A3-` + six groups (the second and third sometimes joined). Not in GitHub's list.
    regex: "A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",
    keywords: ["A3-"],
    mustMatch: ["[0-9]", "[A-Z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) =>
          `secret_key: A3-${r.chars(UPPER_ALNUM, 6)}-${r.chars(UPPER_ALNUM, 6)}-${r.chars(UPPER_ALNUM, 5)}-${r.chars(UPPER_ALNUM, 5)}-${r.chars(UPPER_ALNUM, 4)}7-${r.chars(UPPER_ALNUM, 5)}`,
        (r) =>
          `Secret Key A3-${r.chars(UPPER_ALNUM, 6)}-${r.chars(UPPER_ALNUM, 10)}Q-${r.chars(UPPER_ALNUM, 5)}-${r.chars(UPPER_ALNUM, 4)}3-${r.chars(UPPER_ALNUM, 5)}`,
      ],
      negative: [
        { text: "A3-XXXXXX-XXXXXXXXXXX-XXXXX-XXXXX-XXXXX", reason: "placeholder" },
        {
          text: (r) => `A3-${r.chars(UPPER_ALNUM, 6)}-${r.chars(UPPER_ALNUM, 6)}-${r.chars(UPPER_ALNUM, 5)}`,
          reason: "too few groups",
        },
      ],
    },
  },
];
