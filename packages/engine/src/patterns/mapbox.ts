import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";
import { decodeJsonSegment } from "./support/json-segment.js";

/** Mapbox tokens are <type>.<base64url JSON {"u": user, "a": token id}>.<signature>. */
export function isMapboxToken(secret: string): boolean {
  const json = decodeJsonSegment(secret.split(".")[1] ?? "");
  return typeof json?.["u"] === "string" && typeof json["a"] === "string";
}

const token = (r: ExampleRandom) =>
  `sk.${Buffer.from(JSON.stringify({ u: r.lower(9), a: `c${r.lowerAlnum(24)}` })).toString("base64url")}.${r.base64url(22)}`;

export const mapboxPatterns: PatternDefinition[] = [
  {
    id: "mapbox_secret_access_token",
    name: "Mapbox Secret Access Token",
    provider: "Mapbox",
    regex: "sk\\.eyJ[A-Za-z0-9_-]{20,200}\\.[A-Za-z0-9_-]{22}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["sk.eyj"],
    validate: isMapboxToken,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [(r) => `MAPBOX_DOWNLOADS_TOKEN=${token(r)}`, (r) => `mapbox:\n  secret_token: "${token(r)}"`],
      negative: [
        { text: (r) => `pk.${token(r).slice(3)}`, reason: "a public (pk.) token" },
        { text: (r) => `sk.eyJ${r.base64url(40)}.${r.base64url(22)}`, reason: "payload is not a Mapbox token" },
      ],
    },
  },
  {
    id: "mapbox_temporary_access_token",
    name: "Mapbox Temporary Access Token",
    provider: "Mapbox",
    // Temporary tokens (`tk.`, at most an hour, created with a secret token's `tokens:write` scope) have the
    // secret token's shape and carry its scopes while they last.
    regex: "tk\\.eyJ[A-Za-z0-9_-]{20,200}\\.[A-Za-z0-9_-]{22}",
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: ["tk.eyj"],
    validate: isMapboxToken,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `export MAPBOX_TOKEN=tk.${token(r).slice(3)}`, (r) => `mapboxgl.accessToken = "tk.${token(r).slice(3)}";`],
      negative: [
        { text: (r) => `pk.${token(r).slice(3)}`, reason: "a public (pk.) token" },
        { text: (r) => `tk.eyJ${r.base64url(40)}.${r.base64url(22)}`, reason: "payload is not a Mapbox token" },
      ],
    },
  },
];
