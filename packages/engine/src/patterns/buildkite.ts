import type { PatternDefinition } from "../pattern.js";
import { decodeJsonSegment } from "./support/json-segment.js";

const provider = "Buildkite";

/**
 * Buildkite tokens are a prefix naming the token type (see buildkite.com/docs/platform/security/tokens and the
 * agent's redaction list) and a body of base64url characters and dots, 38 bytes or more.
 */
const BODY = "[A-Za-z0-9_-][A-Za-z0-9_.-]{36,998}[A-Za-z0-9_-]";
const AFTER = "\\z|[^A-Za-z0-9_-]";

function buildkiteToken(id: string, name: string, prefix: string, pushProtection: boolean, env: string): PatternDefinition {
  return {
    id,
    name,
    provider,
    regex: `${prefix}${BODY}`,
    after: AFTER,
    keywords: [prefix],
    window: { before: 64, after: 1024 },
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection,
    examples: {
      positive: [(r) => `${env}=${prefix}MT${r.alnum(1)}.${r.alnum(64)}`, (r) => `token: "${prefix}${r.base64url(48)}"`],
      negative: [
        { text: (r) => `${prefix}${r.alnum(12)}`, reason: "too short for a Buildkite token" },
        { text: `${prefix}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`, reason: "placeholder" },
      ],
    },
  };
}

/** A job token is the prefix and a JWT; its header must decode to JSON. */
function isJwt(secret: string): boolean {
  const jwt = secret.slice(secret.indexOf("_") + 1);
  const header = decodeJsonSegment(jwt.split(".")[0] ?? "");
  return header !== undefined && "alg" in header;
}

const b64 = (json: object): string => Buffer.from(JSON.stringify(json)).toString("base64url");

export const buildkitePatterns: PatternDefinition[] = [
  buildkiteToken("buildkite_agent_access_token", "Buildkite Agent Access Token", "bkaa_", true, "BUILDKITE_AGENT_ACCESS_TOKEN"),
  {
    id: "buildkite_agent_job_token",
    name: "Buildkite Agent Job Token",
    provider,
    regex: "bkaj_eyJ[A-Za-z0-9_-]{10,1000}\\.eyJ[A-Za-z0-9_-]{10,1000}\\.[A-Za-z0-9_-]{20,1000}",
    after: AFTER,
    keywords: ["bkaj_"],
    window: { before: 64, after: 2048 },
    validate: isJwt,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) =>
          `BUILDKITE_AGENT_JOB_TOKEN=bkaj_${b64({ alg: "HS512" })}.${b64({ sub: r.hex(32), iss: "buildkite", exp: 1747104938 })}.${r.base64url(86)}`,
      ],
      negative: [
        { text: (r) => `bkaj_eyJ${r.base64url(30)}.eyJ${r.base64url(40)}.${r.base64url(86)}`, reason: "the header does not decode to a JWT header" },
        { text: "bkaj_encoded-token", reason: "placeholder, not a JWT" },
      ],
    },
  },
  buildkiteToken("buildkite_agent_registration_token", "Buildkite Agent Registration Token", "bkar_", true, "BUILDKITE_AGENT_TOKEN"),
  buildkiteToken("buildkite_cluster_queue_token", "Buildkite Cluster Queue Token", "bkcqt_", true, "BUILDKITE_QUEUE_TOKEN"),
  buildkiteToken("buildkite_cluster_token", "Buildkite Cluster Token", "bkct_", true, "BUILDKITE_AGENT_TOKEN"),
  buildkiteToken("buildkite_packages_registry_token", "Buildkite Packages Registry Token", "bkrt_", true, "BUILDKITE_PACKAGES_TOKEN"),
  buildkiteToken("buildkite_packages_temporary_token", "Buildkite Packages Temporary Token", "bkpt_", true, "PACKAGES_TOKEN"),
  buildkiteToken("buildkite_portal_secret", "Buildkite Portal Secret", "bkps_", true, "PORTAL_SECRET"),
  buildkiteToken("buildkite_portal_token", "Buildkite Portal Token", "bkpat_", true, "PORTAL_TOKEN"),
  {
    ...buildkiteToken("buildkite_user_access_token", "Buildkite User Access Token", "bkua_", false, "BUILDKITE_API_TOKEN"),
    // `bkua_` + 40 hex (2023), or `bkua_` + an encoded organisation id, a dot and 40 hex.
    regex: "bkua_(?:[A-Za-z0-9_-]{2,40}\\.)?[a-f0-9]{40}",
    minEntropy: 3,
    examples: {
      positive: [(r) => `BUILDKITE_API_TOKEN=bkua_${r.hex(40)}`, (r) => `export BUILDKITE_TOKEN="bkua_MT${r.alnum(1)}.${r.hex(40)}"`],
      negative: [
        { text: (r) => `bkua_${r.hex(20)}`, reason: "too short" },
        { text: (r) => `bkua_${r.alnum(40)}`, reason: "the secret part is hexadecimal" },
      ],
    },
  },
];
