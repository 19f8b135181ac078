import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

/** Bech32 (BIP 173): age identities are `AGE-SECRET-KEY-1` + 52 data characters + a 6-character checksum. */
const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const value of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ value;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i] ?? 0;
  }
  return chk >>> 0;
}

const expandHrp = (hrp: string): number[] => [
  ...[...hrp].map((c) => c.charCodeAt(0) >> 5),
  0,
  ...[...hrp].map((c) => c.charCodeAt(0) & 31),
];

function hasBech32Checksum(secret: string): boolean {
  const lower = secret.toLowerCase();
  const separator = lower.lastIndexOf("1");
  const data = [...lower.slice(separator + 1)].map((c) => CHARSET.indexOf(c));
  if (data.some((d) => d < 0)) return false;
  return polymod([...expandHrp(lower.slice(0, separator)), ...data]) === 1;
}

function ageIdentity(r: ExampleRandom): string {
  const hrp = "age-secret-key-";
  const data = [...r.chars(CHARSET, 52)].map((c) => CHARSET.indexOf(c));
  const mod = polymod([...expandHrp(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((d) => CHARSET[d]).join("")}`.toUpperCase();
}

export const agePatterns: PatternDefinition[] = [
  {
    id: "age_secret_key",
    name: "age Secret Key",
    provider: "age",
    // X25519 identities of the age encryption tool: upper-case Bech32 with HRP `age-secret-key-`. Not in GitHub's list.
    regex: "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
    keywords: ["AGE-SECRET-KEY-1"],
    validate: hasBech32Checksum,
    validation: { kind: "checksum", check: "the bech32 checksum" },
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `# created: 2024-01-01T00:00:00Z\n# public key: age1${r.chars(CHARSET, 58)}\n${ageIdentity(r)}\n`,
        (r) => `SOPS_AGE_KEY=${ageIdentity(r)}`,
      ],
      negative: [
        {
          text: (r) => `${ageIdentity(r).slice(0, -1)}${ageIdentity(r).endsWith("Q") ? "P" : "Q"}`,
          reason: "the Bech32 checksum does not match",
        },
        { text: "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ", reason: "placeholder" },
      ],
    },
  },
];
