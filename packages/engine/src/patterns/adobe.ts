import { base64Keywords } from "../base64.js";
import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";
import { decodeJsonSegment } from "./support/json-segment.js";

const provider = "Adobe";

/**
 * Adobe IMS tokens are JWTs whose header names an IMS signing certificate
 * (`"x5u":"ims_na1-key-at-1.cer"`) and whose claims say the token's `type`.
 */
const IMS_HEADER_KEYWORDS = base64Keywords('"x5u":"ims_');
const JWT = "eyJ[A-Za-z0-9_-]{10,400}\\.eyJ[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,1000}";

function isImsToken(type: string): (secret: string) => boolean {
  return (secret) => {
    const [header = "", payload = ""] = secret.split(".");
    const x5u = decodeJsonSegment(header)?.["x5u"];
    return typeof x5u === "string" && x5u.startsWith("ims_") && decodeJsonSegment(payload)?.["type"] === type;
  };
}

function imsToken(r: ExampleRandom, type: string, itt: string): string {
  const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const header = b64({ alg: "RS256", x5u: `ims_na1-key-${itt}-1.cer`, kid: `ims_na1-key-${itt}-1`, itt });
  const payload = b64({
    id: `${r.digits(13)}_${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}_ue1`,
    type,
    client_id: r.hex(32),
    user_id: `${r.upperAlnum(24)}@AdobeID`,
    as: "ims-na1",
    created_at: r.digits(13),
    expires_in: "86400000",
    scope: "openid,AdobeID,read_organizations",
  });
  return `${header}.${payload}.${r.base64url(342)}`;
}

export const adobePatterns: PatternDefinition[] = [
  {
    id: "adobe_client_secret",
    name: "Adobe Client Secret",
    provider,
    // Developer Console OAuth client secrets: `p8e-` + 32 characters.
    regex: "p8e-[A-Za-z0-9-]{32}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["p8e-"],
    mustMatch: ["[0-9]", "[A-Za-z]"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `ADOBE_CLIENT_SECRET=p8e-${r.alnum(28)}-g5Q`, (r) => `"client_secret": "p8e-${r.alnum(30)}7z"`],
      negative: [
        { text: (r) => `p8e-${r.alnum(12)}`, reason: "too short" },
        { text: "p8e-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", reason: "placeholder" },
      ],
    },
  },
  {
    id: "adobe_refresh_token",
    name: "Adobe Refresh Token",
    provider,
    regex: JWT,
    after: "\\z|[^A-Za-z0-9_.-]",
    keywords: IMS_HEADER_KEYWORDS,
    window: { before: 64, after: 6000 },
    validate: isImsToken("refresh_token"),
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `ADOBE_REFRESH_TOKEN=${imsToken(r, "refresh_token", "rt")}`,
        (r) => `{"refresh_token": "${imsToken(r, "refresh_token", "rt")}"}`,
      ],
      negative: [
        { text: (r) => imsToken(r, "authorization_code", "ac"), reason: "another IMS token type" },
        {
          text: (r) =>
            `${Buffer.from('{"alg":"RS256","x5u":"keys/sig-1.cer"}').toString("base64url")}.${Buffer.from('{"type":"refresh_token"}').toString("base64url")}.${r.base64url(64)}`,
          reason: "a JWT signed by another issuer",
        },
      ],
    },
  },
  {
    id: "adobe_short_lived_access_token",
    name: "Adobe Short-Lived Access Token",
    provider,
    regex: JWT,
    after: "\\z|[^A-Za-z0-9_.-]",
    keywords: IMS_HEADER_KEYWORDS,
    window: { before: 64, after: 6000 },
    validate: isImsToken("access_token"),
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `Authorization: Bearer ${imsToken(r, "access_token", "at")}`,
        (r) => `ADOBE_ACCESS_TOKEN="${imsToken(r, "access_token", "at")}"`,
      ],
      negative: [
        { text: (r) => imsToken(r, "refresh_token", "rt"), reason: "a refresh token, reported as such" },
        { text: (r) => `${imsToken(r, "access_token", "at").slice(0, 60)}...`, reason: "truncated" },
      ],
    },
  },
];
