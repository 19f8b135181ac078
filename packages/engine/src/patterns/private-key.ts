import type { PatternDefinition } from "../pattern.js";

const provider = "Generic";

/** A PEM body: base64 lines, optionally with headers (`Proc-Type: …`) or `\n` escapes from JSON. */
const BODY = "[A-Za-z0-9+/=\\s\\\\:,.-]{64,}?";

/** A real key block carries a base64 body of some length; a header alone (in docs, in code that parses keys) is not a key. */
export function hasPemBody(secret: string): boolean {
  const body = secret
    .replace(/-----(?:BEGIN|END)[^-]*-----/g, "")
    .replace(/^[A-Za-z-]+:.*$/gm, "")
    .replace(/\\n|\\r|\s/g, "");
  if (body.length < 64 || !/^[A-Za-z0-9+/=]+$/.test(body)) return false;
  return !/^([A-Za-z0-9+/=])\1+$/.test(body) && !/(?:x{8,}|\.\.\.)/i.test(body);
}

function pemKey(id: string, name: string, labels: string[], examples: PatternDefinition["examples"]): PatternDefinition {
  const label = labels.length === 1 ? labels[0]! : `(?:${labels.join("|")})`;
  return {
    id,
    name,
    provider,
    regex: `-----BEGIN ${label}-----${BODY}-----END ${label}-----`,
    keywords: labels.map((l) => `BEGIN ${l}`),
    // Key bodies run to a few kilobytes.
    window: { before: 16, after: 16384 },
    validate: hasPemBody,
    allowPlaceholderLike: true,
    confidence: "low",
    category: "generic",
    pushProtection: false,
    examples,
  };
}

/** Wraps base64 in PEM lines of 64 characters. */
export function pem(label: string, body: string): string {
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

export const privateKeyPatterns: PatternDefinition[] = [
  pemKey("ec_private_key", "EC Private Key", ["EC PRIVATE KEY"], {
    positive: [(r) => pem("EC PRIVATE KEY", r.base64(160))],
    negative: [{ text: "-----BEGIN EC PRIVATE KEY-----\n...\n-----END EC PRIVATE KEY-----", reason: "elided body in documentation" }],
  }),
  pemKey("openssh_private_key", "OpenSSH Private Key", ["OPENSSH PRIVATE KEY"], {
    positive: [(r) => `id_ed25519:\n${pem("OPENSSH PRIVATE KEY", `b3BlbnNzaC1rZXktdjEAAAAA${r.base64(360)}`)}`],
    negative: [{ text: 'if line == "-----BEGIN OPENSSH PRIVATE KEY-----":', reason: "code that parses keys, no body" }],
  }),
  pemKey("pgp_private_key", "PGP Private Key", ["PGP PRIVATE KEY BLOCK"], {
    positive: [(r) => pem("PGP PRIVATE KEY BLOCK", `lQOYBF${r.base64(600)}`)],
    negative: [{ text: "-----BEGIN PGP PUBLIC KEY BLOCK-----", reason: "a public key" }],
  }),
  pemKey("rsa_private_key", "RSA Private Key", ["RSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY"], {
    positive: [
      (r) => pem("RSA PRIVATE KEY", `MIIEowIBAAKCAQEA${r.base64(1600)}`),
      (r) => pem("PRIVATE KEY", `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${r.base64(1200)}`),
      (r) => `{"private_key": "${pem("PRIVATE KEY", `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${r.base64(1200)}`).replace(/\n/g, "\\n")}"}`,
    ],
    negative: [
      { text: "-----BEGIN RSA PRIVATE KEY-----\nxxxxxxxx\n-----END RSA PRIVATE KEY-----", reason: "placeholder body" },
      { text: (r) => pem("PUBLIC KEY", r.base64(300)), reason: "a public key" },
    ],
  }),
];
