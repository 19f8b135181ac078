import type { PatternDefinition } from "../pattern.js";
import { decodeJsonSegment } from "./support/json-segment.js";

const provider = "Twilio";

/** base64url of `twilio-fpa` (the access token's `cty` header) at each byte alignment. */
const TWILIO_FPA_B64 = ["dHdpbGlvLWZwY", "R3aWxpby1mcG", "0d2lsaW8tZnBh"];

/** A Twilio access token is a JWT with header `cty: twilio-fpa;v=1` and a `grants` claim. */
export function isTwilioAccessToken(secret: string): boolean {
  const [header = "", payload = ""] = secret.split(".");
  const cty = decodeJsonSegment(header)?.["cty"];
  return typeof cty === "string" && cty.startsWith("twilio-fpa") && decodeJsonSegment(payload)?.["grants"] !== undefined;
}

function accessToken(sid: string, accountSid: string, identity: string, signature: string): string {
  const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const header = b64({ typ: "JWT", alg: "HS256", cty: "twilio-fpa;v=1" });
  const payload = b64({
    jti: `${sid}-1700000000`,
    grants: { identity, voice: { outgoing: { application_sid: `AP${sid.slice(2)}` } } },
    iat: 1700000000,
    exp: 1700003600,
    iss: sid,
    sub: accountSid,
  });
  return `${header}.${payload}.${signature}`;
}

export const twilioPatterns: PatternDefinition[] = [
  {
    id: "twilio_access_token",
    name: "Twilio Access Token",
    provider,
    regex: "eyJ[A-Za-z0-9_-]{10,300}\\.eyJ[A-Za-z0-9_-]{10,1000}\\.[A-Za-z0-9_-]{20,200}",
    after: "\\z|[^A-Za-z0-9_.-]",
    keywords: TWILIO_FPA_B64,
    window: { before: 128, after: 1536 },
    validate: isTwilioAccessToken,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `const token = "${accessToken(`SK${r.hex(32)}`, `AC${r.hex(32)}`, `user-${r.lower(6)}`, r.base64url(43))}";`],
      negative: [
        {
          text: (r) => {
            const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString("base64url");
            return `${b64({ typ: "JWT", alg: "HS256", cty: "twilio-fpa;v=1" })}.${b64({ sub: "x" })}.${r.base64url(43)}`;
          },
          reason: "no grants claim",
        },
        { text: (r) => `eyJ${r.base64url(30)}.eyJ${r.base64url(60)}.${r.base64url(43)}`, reason: "a JWT without Twilio's content type" },
      ],
    },
  },
  {
    id: "twilio_account_sid",
    name: "Twilio Account String Identifier",
    provider,
    // `AC` + 32 lower-case hex: an identifier, reported only beside a Twilio mention.
    regex: "AC[a-f0-9]{32}",
    keywords: ["twilio", "account_sid", "accountsid"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    base64: true,
    examples: {
      positive: [(r) => `TWILIO_ACCOUNT_SID=AC${r.hex(32)}`, (r) => `client = Client(account_sid="AC${r.hex(32)}", auth_token=token)`],
      negative: [
        { text: (r) => `TWILIO_ACCOUNT_SID=AC${r.hex(20)}`, reason: "too short" },
        { text: (r) => `checksum: AC${r.hex(32)}`, reason: "no Twilio context" },
      ],
    },
  },
  {
    id: "twilio_api_key",
    name: "Twilio API Key",
    provider,
    // API key SIDs: `SK` + 32 lower-case hex.
    regex: "SK[a-f0-9]{32}",
    keywords: ["twilio"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `TWILIO_API_KEY=SK${r.hex(32)}`],
      negative: [
        { text: (r) => `TWILIO_API_KEY=SK${r.upper(32)}`, reason: "not hexadecimal" },
        { text: (r) => `hash SK${r.hex(32)}`, reason: "no Twilio context" },
      ],
    },
  },
];
