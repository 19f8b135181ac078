import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";
import { hasPemBody, pem } from "./private-key.js";

const provider = "Google";

/** A service account key file holds its private key as a JSON string: PEM lines joined with `\n` escapes. */
export function isServiceAccountKey(secret: string): boolean {
  const start = secret.indexOf("-----BEGIN PRIVATE KEY-----");
  const end = secret.indexOf("-----END PRIVATE KEY-----");
  if (start < 0 || end < start) return false;
  return hasPemBody(secret.slice(start, end + "-----END PRIVATE KEY-----".length));
}

/** Builds a service account key file as the Cloud console downloads it (random key material). */
function serviceAccountJson(r: ExampleRandom): string {
  const project = `${r.lower(6)}-${r.digits(6)}`;
  const key = pem("PRIVATE KEY", `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${r.base64(1200)}`).replace(/\n/g, "\\n");
  return [
    "{",
    '  "type": "service_account",',
    `  "project_id": "${project}",`,
    `  "private_key_id": "${r.hex(40)}",`,
    `  "private_key": "${key}",`,
    `  "client_email": "deployer@${project}.iam.gserviceaccount.com",`,
    `  "client_id": "${r.digits(21)}",`,
    '  "auth_uri": "https://accounts.google.com/o/oauth2/auth",',
    '  "token_uri": "https://oauth2.googleapis.com/token"',
    "}",
  ].join("\n");
}

const HMAC_SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export const googlePatterns: PatternDefinition[] = [
  {
    id: "google_api_key",
    name: "Google API Key",
    provider,
    regex: "AIza[0-9A-Za-z_-]{35}",
    after: "\\z|[^0-9A-Za-z_-]",
    keywords: ["aiza"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    validityCheck: true,
    examples: {
      positive: [(r) => `const firebaseConfig = { apiKey: "AIza${r.base64url(35)}" };`, (r) => `GOOGLE_API_KEY=AIza${r.base64url(35)}`],
      negative: [
        { text: (r) => `AIza${r.base64url(20)}`, reason: "too short" },
        { text: (r) => `AIza${r.base64url(40)}`, reason: "too long: part of a longer string" },
      ],
    },
  },
  {
    id: "google_cloud_service_account_credentials",
    name: "Google Cloud Service Account Credentials",
    provider,
    // The key file from the Cloud console: `type` comes first, the private key a few fields later.
    regex:
      '"type"\\s*:\\s*"service_account"[^{}]{0,600}?"private_key"\\s*:\\s*"-----BEGIN PRIVATE KEY-----[A-Za-z0-9+/=\\\\\\s]{64,}?-----END PRIVATE KEY-----(?:\\\\n)?"',
    before: "\\A|[^0-9A-Za-z]",
    after: "",
    keywords: ["service_account"],
    // The private key runs to about 1.7 KB after the `type` field.
    window: { before: 16, after: 8192 },
    validate: isServiceAccountKey,
    allowPlaceholderLike: true,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => serviceAccountJson(r)],
      negative: [
        {
          text: (r) => serviceAccountJson(r).replace('"service_account"', '"authorized_user"'),
          reason: "not a service account key file",
        },
        {
          text: '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n"}',
          reason: "elided key in documentation",
        },
      ],
    },
  },
  {
    id: "google_cloud_storage_access_key_secret",
    name: "Google Cloud Storage Access Key Secret",
    provider,
    regex: "[A-Za-z0-9/+]{40}",
    before: "\\A|[^A-Za-z0-9/+=]",
    after: "\\z|[^A-Za-z0-9/+=]",
    // Forty base64 characters are everywhere; only beside an HMAC access id are they a secret.
    keywords: [],
    standalone: false,
    mustMatch: ["[A-Z]", "[a-z]", "[0-9]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [],
      negative: [{ text: (r) => `secret = ${r.chars(HMAC_SECRET_ALPHABET, 40)}`, reason: "a secret alone, without its access id, is not reported" }],
    },
  },
  {
    id: "google_cloud_storage_service_account_access_key_id",
    name: "Google Cloud Storage Service Account Access Key ID",
    provider,
    // HMAC keys of service accounts: a 61-character access id that starts with GOOG1.
    regex: "GOOG1[A-Z0-9]{56}",
    keywords: ["goog1"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    pair: { with: "google_cloud_storage_access_key_secret", required: false },
    examples: {
      positive: [
        (r) => `[Credentials]\ngs_access_key_id = GOOG1E${r.upperAlnum(55)}\ngs_secret_access_key = ${r.chars(HMAC_SECRET_ALPHABET, 40)}\n`,
        (r) => `access_id: GOOG1E${r.upperAlnum(55)}`,
      ],
      negative: [
        { text: (r) => `GOOG1E${r.upperAlnum(30)}`, reason: "too short for a service account access id" },
        { text: (r) => `GOOG1E${r.lowerAlnum(55)}`, reason: "access ids are upper case" },
      ],
    },
  },
  {
    id: "google_oauth_access_token",
    name: "Google OAuth Access Token",
    provider,
    regex: "ya29\\.[0-9A-Za-z_-]{30,1000}",
    after: "\\z|[^0-9A-Za-z_-]",
    keywords: ["ya29."],
    window: { before: 16, after: 1100 },
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `curl -H "Authorization: Bearer ya29.a0${r.base64url(150)}" https://www.googleapis.com/drive/v3/files`],
      negative: [
        { text: (r) => `ya29.${r.base64url(10)}`, reason: "too short" },
        { text: "ya29.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", reason: "placeholder" },
      ],
    },
  },
  {
    id: "google_oauth_client_id",
    name: "Google OAuth Client ID",
    provider,
    regex: "[0-9]{6,20}-[a-z0-9]{32}\\.apps\\.googleusercontent\\.com",
    keywords: [".apps.googleusercontent.com"],
    window: { before: 64, after: 16 },
    confidence: "high",
    category: "provider",
    pushProtection: true,
    base64: true,
    // A client id is public; GitHub reports it with its client secret.
    pair: { with: "google_oauth_client_secret", required: true },
    examples: {
      positive: [
        (r) =>
          `{"web": {"client_id": "${r.digits(12)}-${r.lowerAlnum(32)}.apps.googleusercontent.com", "client_secret": "GOCSPX-${r.base64url(28)}"}}`,
      ],
      negative: [
        { text: (r) => `client_id = "${r.digits(12)}-${r.lowerAlnum(32)}.apps.googleusercontent.com"`, reason: "a client id alone is public" },
      ],
    },
  },
  {
    id: "google_oauth_client_secret",
    name: "Google OAuth Client Secret",
    provider,
    regex: "GOCSPX-[A-Za-z0-9_-]{28}",
    after: "\\z|[^0-9A-Za-z_-]",
    // In the secret's own case: the base64 forms of the keyword are derived from this spelling.
    keywords: ["GOCSPX-"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    base64: true,
    examples: {
      positive: [
        (r) => `GOOGLE_CLIENT_SECRET=GOCSPX-${r.base64url(28)}`,
        (r) => `data:\n  GOOGLE_CLIENT_SECRET: ${Buffer.from(`GOCSPX-${r.base64url(28)}`).toString("base64")}`,
      ],
      negative: [
        { text: (r) => `GOCSPX-${r.base64url(20)}`, reason: "too short" },
        { text: (r) => `GOCSPX-${r.base64url(34)}`, reason: "too long" },
      ],
    },
  },
  {
    id: "google_oauth_refresh_token",
    name: "Google OAuth Refresh Token",
    provider,
    regex: "1//0[0-9A-Za-z_-]{60,250}",
    after: "\\z|[^0-9A-Za-z_-]",
    keywords: ["1//0"],
    mustMatch: ["[A-Z]", "[a-z]"],
    minEntropy: 4,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    base64: true,
    examples: {
      positive: [(r) => `{"refresh_token": "1//0${r.alnum(1)}CgYIARAAGA${r.base64url(88)}", "token_uri": "https://oauth2.googleapis.com/token"}`],
      negative: [
        { text: (r) => `1//0${r.base64url(20)}`, reason: "too short" },
        { text: "see http://example.com/1//0", reason: "a URL path, not a token" },
      ],
    },
  },
];
