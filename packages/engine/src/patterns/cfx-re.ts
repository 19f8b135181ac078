import type { PatternDefinition } from "../pattern.js";

export const cfxRePatterns: PatternDefinition[] = [
  {
    id: "cfxre_server_key",
    name: "Cfx.re Server Key",
    provider: "Cfx.re",
    // FiveM/RedM server license keys: `cfxk_`, about 20 alphanumerics, `_`, about 6 more.
    regex: "cfxk_[A-Za-z0-9]{16,32}_[A-Za-z0-9]{4,8}",
    keywords: ["cfxk_"],
    minEntropy: 3.5,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [(r) => `sv_licenseKey "cfxk_${r.alnum(21)}_${r.alnum(6)}"`, (r) => `SV_LICENSEKEY=cfxk_${r.alnum(20)}_${r.alnum(5)}`],
      negative: [
        { text: "cfxk_xxxxxxxxxxxxxxxxxxxx_xxxxx", reason: "placeholder" },
        { text: "cfxk_your_key", reason: "placeholder, not the key's shape" },
      ],
    },
  },
];
