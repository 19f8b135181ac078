import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Decodes RFC 4648 base32 (lower case, no padding). */
function base32(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    value = (value << 5) | BASE32.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** App API keys begin with the app's id: 16 bytes of a version-4 UUID, base32-encoded. */
export function hasOneSignalAppId(secret: string): boolean {
  const id = base32(secret.slice("os_v2_app_".length, "os_v2_app_".length + 26));
  return id.length >= 16 && (id[6]! & 0xf0) === 0x40 && (id[8]! & 0xc0) === 0x80;
}

function encodeBase32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function appKey(r: ExampleRandom): string {
  const id = Buffer.from(r.hex(32), "hex");
  id[6] = (id[6]! & 0x0f) | 0x40;
  id[8] = (id[8]! & 0x3f) | 0x80;
  const idPart = encodeBase32(id).slice(0, 25);
  return `os_v2_app_${idPart}${r.chars(BASE32, 78)}`;
}

export const onesignalPatterns: PatternDefinition[] = [
  {
    id: "onesignal_rich_authentication_token",
    name: "OneSignal Rich API Key",
    provider: "OneSignal",
    // App API keys: os_v2_app_ + 103 base32 characters that start with the app id.
    regex: "os_v2_app_[a-z2-7]{103}",
    keywords: ["os_v2_app_"],
    validate: hasOneSignalAppId,
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `ONESIGNAL_API_KEY = "${appKey(r)}"`, (r) => `Authorization: Key ${appKey(r)}`],
      negative: [
        { text: 'placeholder="os_v2_app_..."', reason: "placeholder" },
        { text: (r) => `os_v2_app_${r.chars(BASE32, 60)}`, reason: "too short" },
      ],
    },
  },
];
