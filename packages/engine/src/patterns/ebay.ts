import type { PatternDefinition } from "../pattern.js";

const provider = "eBay";

/**
 * eBay keysets: the App ID (client id) is `<user>-<app>-PRD-<9 hex>-<8 hex>` (`SBX` in the sandbox), the
 * Cert ID (client secret) `PRD-<12 hex>-<4>-<4>-<4>-<4 hex>`. GitHub reports them as a pair, under the client id.
 */
function keyset(env: "PRD" | "SBX", kind: "production" | "sandbox", label: string): PatternDefinition[] {
  const clientId = `ebay_${kind}_client_id`;
  const clientSecret = `ebay_${kind}_client_secret`;
  const id = (r: { alnum: (n: number) => string; hex: (n: number) => string }): string => `${r.alnum(8)}-${r.alnum(8)}-${env}-${r.hex(9)}-${r.hex(8)}`;
  const secret = (r: { hex: (n: number) => string }): string => `${env}-${r.hex(12)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}-${r.hex(4)}`;
  return [
    {
      id: clientId,
      name: `eBay ${label} Client ID (App ID)`,
      provider,
      regex: `[A-Za-z0-9_]{1,8}-[A-Za-z0-9_]{1,8}-${env}-[a-f0-9]{9}-[a-f0-9]{8}`,
      keywords: [`-${env}-`],
      confidence: "high",
      category: "provider",
      pushProtection: true,
      // A client id is public; only with its Cert ID beside it is it a leaked credential.
      pair: { with: clientSecret, required: true },
      examples: {
        positive: [
          (r) => `EBAY_APP_ID=${id(r)}\nEBAY_CERT_ID=${secret(r)}\n`,
          (r) => `ebay:\n  client_id: "${id(r)}"\n  client_secret: "${secret(r)}"\n`,
        ],
        negative: [
          { text: (r) => `EBAY_APP_ID=${id(r)}\n`, reason: "a client id alone, without its Cert ID" },
          { text: `EBAY_CLIENT_ID=YourApp-AppName-${env}-xxxxxxx-xxxxxxx\nEBAY_CLIENT_SECRET=${env}-xxxxxxxxxxxxxxxxxxxxxxx\n`, reason: "placeholders" },
        ],
      },
    },
    {
      id: clientSecret,
      name: `eBay ${label} Client Secret (Cert ID)`,
      provider,
      regex: `${env}-[a-f0-9]{12}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}`,
      // Looked for only once a client id is found: reported with it.
      keywords: [],
      standalone: false,
      confidence: "high",
      category: "provider",
      pushProtection: true,
      examples: {
        positive: [],
        negative: [{ text: (r) => `EBAY_CERT_ID=${secret(r)}`, reason: "a Cert ID alone is reported only with its client id" }],
      },
    },
  ];
}

export const ebayPatterns: PatternDefinition[] = [...keyset("PRD", "production", "Production"), ...keyset("SBX", "sandbox", "Sandbox")];
