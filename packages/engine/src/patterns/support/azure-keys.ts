import { crc32 } from "../../checksum/crc32.js";
import { marvin32 } from "../../checksum/marvin32.js";
import type { ExampleRandom } from "../../example-random.js";

/**
 * Microsoft's identifiable keys (microsoft/security-utilities): base64 of
 * random bytes, a 4-character signature (`AzFu`, `+ASt`, `ACDb`…) and, in the
 * last 4 bytes, the Marvin32 checksum of the other bytes, seeded per key kind.
 * The seeds are 8 ASCII characters read as a little-endian integer.
 */
export const SEED = {
  storage: 0x44656661756c7430n, // "Default0"
  versionTwo: 0x44656661756c7430n, // "Default0" (HIS v2, Event Grid)
  functionKey: 0x46756e6374693030n,
  functionSystem: 0x53797374656d3030n,
  functionMaster: 0x4d61737465723030n,
  cosmosMasterReadOnly: 0x4d617374524f3030n,
  cosmosMasterReadWrite: 0x4d61737452573030n,
  cosmosSystemAll: 0x537973416c6c3030n,
  cosmosSystemReadOnly: 0x53797374524f3030n,
  cosmosSystemReadWrite: 0x5379737452573030n,
  cosmosResource: 0x5265736f75723030n,
  cosmosDataEncryption: 0x456e637279703030n,
  messagingSend: 0x53656e6430303030n,
  messagingListen: 0x4c697374656e3030n,
  messagingManage: 0x4d616e6167653030n,
  messagingSystem: 0x53797374656d3030n,
  batch: 0x4162416363743030n,
  redis: 0x4163636573733030n,
  searchQuery: 0x5175657279303030n,
  searchAdmin: 0x5041646d696e3030n,
  mlClassic: 0x436c617373696330n,
  containerRegistry: 0x41435244666c7430n,
  iotHub: 0x496f544875623030n,
  iotDeviceProvisioning: 0x4470734b65793030n,
  iotDevice: 0x4465766963653030n,
  apimDirectManagement: 0x54656e616e743030n,
  apimSubscription: 0x496f544875623030n,
  apimGateway: 0x4761746577793030n,
  apimRepository: 0x4769744b65793030n,
  entraClientSecret: 0x4161645077643030n,
} as const;

const toStandard = (key: string): string => key.replace(/-/g, "+").replace(/_/g, "/");
const toUrlSafe = (key: string): string => key.replace(/\+/g, "-").replace(/\//g, "_");

/** Whether the key's last 4 bytes are the Marvin32 checksum of the others under one of the seeds. */
export function hasIdentifiableChecksum(key: string, seeds: readonly bigint[]): boolean {
  const bytes = Buffer.from(toStandard(key), "base64");
  if (bytes.length < 8) return false;
  const body = bytes.subarray(0, bytes.length - 4);
  const stored = bytes.readUInt32LE(bytes.length - 4);
  return seeds.some((seed) => marvin32(body, seed) === stored);
}

export interface IdentifiableLayout {
  /** Random characters before the signature. */
  random: number;
  signature: string;
  /** Trailing `=` padding. */
  padding: "" | "=" | "==";
  urlSafe?: boolean;
}

/** Layouts of the key sizes in use (characters: random + signature + 6 checksum characters + padding). */
export const LAYOUT = {
  bytes32: (signature: string): IdentifiableLayout => ({ random: 33, signature, padding: "=" }),
  bytes39: (signature: string): IdentifiableLayout => ({ random: 42, signature, padding: "" }),
  bytes40Url: (signature: string): IdentifiableLayout => ({ random: 44, signature, padding: "==", urlSafe: true }),
  bytes64: (signature: string): IdentifiableLayout => ({ random: 76, signature, padding: "==" }),
};

/** Synthesises an identifiable key with a valid checksum (test examples only). */
export function identifiableKey(r: ExampleRandom, layout: IdentifiableLayout, seed: bigint): string {
  const random = layout.urlSafe ? r.base64url(layout.random) : r.base64(layout.random);
  const template = `${random}${layout.signature}AAAAAA${layout.padding}`;
  const bytes = Buffer.from(toStandard(template), "base64");
  bytes.writeUInt32LE(marvin32(bytes.subarray(0, bytes.length - 4), seed), bytes.length - 4);
  const encoded = bytes.toString("base64");
  return layout.urlSafe ? toUrlSafe(encoded) : encoded;
}

/** The same key with one checksum character changed: the format holds, the checksum does not. */
export function withBadChecksum(key: string): string {
  const trimmed = key.replace(/=+$/, "");
  const i = trimmed.length - 3;
  const ch = trimmed[i] === "B" ? "C" : "B";
  return `${trimmed.slice(0, i)}${ch}${trimmed.slice(i + 1)}${key.slice(trimmed.length)}`;
}

/** Entra ID (Azure AD) client secrets: `xxx8Q~` + 34 characters, the last 3 a Marvin32 checksum in a 66-character alphabet. */
const ENTRA_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~";

function encodeEntraChecksum(value: number): string {
  let out = "";
  let n = value >>> 0;
  while (n > 0) {
    out = (ENTRA_ALPHABET[n % ENTRA_ALPHABET.length] ?? "") + out;
    n = Math.floor(n / ENTRA_ALPHABET.length);
  }
  return out;
}

export function isEntraClientSecret(secret: string): boolean {
  const signature = secret.slice(3, 6);
  if (signature === "7Q~") return true; // the previous format has no checksum
  if (signature !== "8Q~") return false;
  const text = secret.slice(0, -3);
  const checksum = marvin32(Buffer.from(text, "latin1"), SEED.entraClientSecret);
  return encodeEntraChecksum(checksum).slice(0, 3) === secret.slice(-3);
}

export function entraClientSecret(r: ExampleRandom): string {
  const text = `${r.chars(ENTRA_ALPHABET, 3)}8Q~${r.chars(ENTRA_ALPHABET, 31)}`;
  return text + encodeEntraChecksum(marvin32(Buffer.from(text, "latin1"), SEED.entraClientSecret)).slice(0, 3);
}

/**
 * Azure DevOps personal access tokens of the 52-character format: lowercase
 * base32 of 32 bytes, four of which (2, 7, 8, 22) hold the CRC-32 of the other
 * 28 XOR a per-kind constant (user or application PAT).
 */
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const ADO_MAGIC = [0xe0b9692d, 0x1019f92e];

function base32Decode(text: string): Uint8Array | undefined {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let i = 0;
  for (const ch of text) {
    const v = BASE32.indexOf(ch);
    if (v < 0) return undefined;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      if (i < out.length) out[i++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(value >> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

const ADO_CHECKSUM_BYTES = [22, 8, 7, 2]; // little-endian order

function adoPayload(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from([
    ...bytes.subarray(0, 2),
    ...bytes.subarray(3, 7),
    ...bytes.subarray(9, 22),
    ...bytes.subarray(23, 32),
  ]);
}

export function hasAdoPatChecksum(token: string): boolean {
  const bytes = base32Decode(token);
  if (!bytes || bytes.length !== 32) return false;
  const stored = ADO_CHECKSUM_BYTES.reduce((acc, index, shift) => acc | ((bytes[index] ?? 0) << (8 * shift)), 0) >>> 0;
  const crc = crc32(adoPayload(bytes));
  return ADO_MAGIC.some((magic) => (crc ^ magic) >>> 0 === stored);
}

export function legacyAdoPat(r: ExampleRandom): string {
  const bytes = Uint8Array.from({ length: 32 }, () => r.next() & 0xff);
  const checksum = (crc32(adoPayload(bytes)) ^ (ADO_MAGIC[0] ?? 0)) >>> 0;
  ADO_CHECKSUM_BYTES.forEach((index, shift) => (bytes[index] = (checksum >>> (8 * shift)) & 0xff));
  return base32Encode(bytes);
}

/**
 * Common annotated security keys (CASK, 84 characters): 52 base62 + `JQQJ9` + kind + date + reserved +
 * provider signature + checksum. The kind is any base62 character: Azure DevOps PATs published since
 * 2024 carry `9`, `8` and `6` there, not only the `9`, `D` and `H` of the first keys.
 */
export const CASK_PREFIX = "[A-Za-z0-9]{52}JQQJ9[A-Za-z0-9]{2}[A-L][A-Za-z0-9]{16}";

export function caskKey(r: ExampleRandom, signature: string): string {
  return `${r.alnum(52)}JQQJ9${r.chars("689DH", 1)}${r.chars("ABCDEF", 1)}${r.chars("ABCDEFGHIJKL", 1)}${r.alnum(12)}AAAB${signature}${r.alnum(4)}`;
}
