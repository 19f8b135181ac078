import type { PatternDefinition } from "../pattern.js";
import { decodeJsonSegment } from "./support/json-segment.js";

const provider = "Grafana";

/** Legacy API keys are base64 JSON: {"k": key, "n": name, "id": org id}. */
export function isGrafanaApiKey(secret: string): boolean {
  const json = decodeJsonSegment(secret);
  return json !== undefined && typeof json["k"] === "string" && typeof json["n"] === "string" && typeof json["id"] === "number";
}

/** Cloud access policy tokens are `glc_` + base64 JSON: {"o": org, "n": name, "k": key, "m": {"r": region}}. */
export function isGrafanaCloudToken(secret: string): boolean {
  const json = decodeJsonSegment(secret.slice("glc_".length));
  return json !== undefined && typeof json["o"] === "string" && typeof json["k"] === "string";
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64");

export const grafanaPatterns: PatternDefinition[] = [
  {
    id: "grafana_cloud_api_token",
    name: "Grafana Cloud API Token",
    provider,
    regex: "glc_[A-Za-z0-9+/]{32,400}={0,2}",
    after: "\\z|[^A-Za-z0-9+/=]",
    keywords: ["glc_"],
    window: { before: 16, after: 512 },
    validate: isGrafanaCloudToken,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `GRAFANA_CLOUD_TOKEN=glc_${b64({ o: r.digits(6), n: `stack-${r.digits(6)}-hm-write-${r.lower(6)}`, k: r.alnum(24), m: { r: "prod-us-east-0" } })}`,
      ],
      negative: [
        { text: (r) => `glc_${r.alnum(48)}`, reason: "does not decode to an access policy token" },
        { text: "static void GLC_CreateLightmapTextureArray(void);", reason: "a function name" },
      ],
    },
  },
  {
    id: "grafana_project_api_key",
    name: "Grafana Project API Key",
    provider,
    // Base64 of {"k":"…: the JSON every legacy API key encodes.
    regex: "eyJrIjoi[A-Za-z0-9+/]{40,400}={0,2}",
    after: "\\z|[^A-Za-z0-9+/=]",
    keywords: ["eyJrIjoi"],
    window: { before: 16, after: 512 },
    validate: isGrafanaApiKey,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `grafana:\n  apiKey: ${b64({ k: r.alnum(32), n: "ci-dashboards", id: Number(r.digits(3)) + 1 })}\n`],
      negative: [{ text: (r) => `eyJrIjoi${r.alnum(60)}`, reason: "does not decode to an API key" }],
    },
  },
  {
    id: "grafana_project_service_account_token",
    name: "Grafana Project Service Account Token",
    provider,
    regex: "glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}",
    keywords: ["glsa_"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `'Authorization': 'Bearer glsa_${r.alnum(32)}_${r.hex(8)}'`],
      negative: [
        { text: "glsa_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX_AAAAAAAA", reason: "placeholder" },
        { text: (r) => `glsa_${r.alnum(20)}_${r.hex(8)}`, reason: "too short" },
      ],
    },
  },
];
