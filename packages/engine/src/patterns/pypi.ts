import type { PatternDefinition } from "../pattern.js";

/**
 * A PyPI token is `pypi-` + a base64url v2 macaroon whose first field is its
 * location: bytes 02 01 (field: location), a length, then the index host.
 */
export function isPypiMacaroon(secret: string): boolean {
  const raw = Buffer.from(secret.slice("pypi-".length), "base64url");
  if (raw.length < 40 || raw[0] !== 0x02 || raw[1] !== 0x01) return false;
  const length = raw[2] ?? 0;
  const location = raw.subarray(3, 3 + length).toString("latin1");
  return location === "pypi.org" || location === "test.pypi.org";
}

/** Builds a structurally valid token: location field, identifier and signature of random bytes. */
export function synthesisePypiToken(host: string, random: (n: number) => string): string {
  const body = Buffer.concat([
    Buffer.from([0x02, 0x01, host.length]),
    Buffer.from(host, "latin1"),
    Buffer.from([0x02, 0x01, 0x24]),
    Buffer.from(random(36), "latin1"),
    Buffer.from([0x00, 0x00, 0x06, 0x20]),
    Buffer.from(random(32), "latin1"),
  ]);
  return `pypi-${body.toString("base64url")}`;
}

export const pypiPatterns: PatternDefinition[] = [
  {
    id: "pypi_api_token",
    name: "PyPI API Token",
    provider: "PyPI",
    regex: "pypi-Ag(?:EIcHlwaS5vcmc|ENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}",
    keywords: ["pypi-ag"],
    validate: isPypiMacaroon,
    validation: {
      kind: "structure",
      check: "PyPI's macaroon structure (a base64url macaroon whose location field is the index host)",
    },
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `[pypi]\n  username = __token__\n  password = ${synthesisePypiToken("pypi.org", (n) => r.alnum(n))}\n`,
        (r) => `TWINE_PASSWORD=${synthesisePypiToken("test.pypi.org", (n) => r.alnum(n))}`,
      ],
      negative: [
        { text: (r) => `pypi-AgEIcHlwaS5vcmc${r.alnum(8)}`, reason: "too short to hold a macaroon" },
        { text: (r) => `pypi-${r.base64url(120)}`, reason: "does not decode to a macaroon located at PyPI" },
      ],
    },
  },
];
