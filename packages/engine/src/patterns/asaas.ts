import type { ExampleRandom } from "../example-random.js";
import type { PatternDefinition } from "../pattern.js";

/** An Asaas key is `$aact_` (+ `prod_000` / `hmlg_000`) + base64 of `<32 hex>::<account>::$aach_<uuid>`. */
function isAsaasKey(secret: string): boolean {
  const body = secret.replace(/^\$aact_(?:(?:prod|hmlg)_000)?/, "");
  const decoded = Buffer.from(body, "base64").toString("latin1");
  return /^[0-9a-f]{32}::[0-9A-Za-z-]+::\$aach_[0-9a-f-]{36}$/.test(decoded);
}

function asaasKey(r: ExampleRandom, env: "" | "prod_000" | "hmlg_000"): string {
  const uuid = (): string => `${r.hex(8)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(12)}`;
  const inner = `${r.hex(32)}::${uuid()}::$aach_${uuid()}`;
  return `$aact_${env}${Buffer.from(inner).toString("base64")}`;
}

export const asaasPatterns: PatternDefinition[] = [
  {
    id: "asaas_api_token",
    name: "Asaas API Token",
    provider: "Asaas",
    regex: "\\$aact_(?:(?:prod|hmlg)_000)?[A-Za-z0-9+/]{100,300}={0,2}",
    before: "\\A|[^A-Za-z0-9$]",
    after: "\\z|[^A-Za-z0-9+/=]",
    keywords: ["$aact_"],
    window: { before: 16, after: 400 },
    validate: isAsaasKey,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    validityCheck: true,
    examples: {
      positive: [
        (r) => `ASAAS_API_KEY=${asaasKey(r, "prod_000")}`,
        (r) => `access_token: '${asaasKey(r, "")}'`,
        (r) => `"${asaasKey(r, "hmlg_000")}"`,
      ],
      negative: [
        { text: "ASAAS_API_KEY=$aact_YOUR_KEY", reason: "placeholder" },
        {
          text: (r) => `$aact_${Buffer.from(r.alnum(120)).toString("base64")}`,
          reason: "base64 that does not hold an Asaas key's parts",
        },
      ],
    },
  },
];
