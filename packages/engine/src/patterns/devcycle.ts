import type { PatternDefinition } from "../pattern.js";

const provider = "DevCycle";

function sdkKey(kind: "client" | "mobile" | "server", name: string): PatternDefinition {
  const prefix = `dvc_${kind}_`;
  return {
    id: `devcycle_${kind}_api_key`,
    name,
    provider,
    // DevCycle SDK keys are `dvc_client_`, `dvc_mobile_` or `dvc_server_` + a random identifier.
    regex: `${prefix}[A-Za-z0-9_-]{30,100}`,
    after: "\\z|[^A-Za-z0-9_-]",
    keywords: [prefix],
    minEntropy: 3.5,
    mustMatch: ["[0-9]"],
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [
        (r) => `DEVCYCLE_${kind.toUpperCase()}_SDK_KEY=${prefix}${r.hex(8)}_${r.hex(4)}_4${r.hex(3)}_a${r.hex(3)}_${r.hex(12)}_${r.digits(7)}`,
        (r) => `initialize("${prefix}${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-8${r.hex(3)}-${r.hex(12)}")`,
      ],
      negative: [
        { text: `${prefix}token_hash`, reason: "a test placeholder" },
        { text: `"<DVC_${kind.toUpperCase()}_SDK_KEY>"`, reason: "placeholder" },
      ],
    },
  };
}

export const devcyclePatterns: PatternDefinition[] = [
  sdkKey("client", "DevCycle Client API Key"),
  sdkKey("mobile", "DevCycle Mobile API Key"),
  sdkKey("server", "DevCycle Server API Key"),
];
