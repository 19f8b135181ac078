import type { PatternDefinition } from "../pattern.js";

export const databricksPatterns: PatternDefinition[] = [
  {
    id: "databricks_access_token",
    name: "Databricks API Token",
    provider: "Databricks",
    // Personal access tokens: `dapi` + 32 hex, sometimes with a `-N` suffix.
    regex: "dapi[a-f0-9]{32}(?:-[0-9]+)?",
    keywords: ["dapi"],
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    validityCheck: true,
    base64: true,
    examples: {
      positive: [(r) => `DATABRICKS_TOKEN: 'dapi${r.hex(32)}-2'`, (r) => `[DEFAULT]\nhost = https://adb-1234.azuredatabricks.net\ntoken = dapi${r.hex(32)}\n`],
      negative: [
        { text: "    dapiDataGetTopLongShortPositionRatio (params?: {}): Promise<implicitReturnType>;", reason: "an identifier" },
        { text: (r) => `dapi${r.hex(20)}`, reason: "too short" },
      ],
    },
  },
  {
    id: "databricks_oauth_secret_token",
    name: "Databricks OAuth Secret Token",
    provider: "Databricks",
    // Service principal OAuth secrets: `dose` + 32 hex. `dose` is an English word, so the prefilter looks for
    // `dose` followed by a hex digit.
    regex: "dose[a-f0-9]{32}",
    keywords: [..."0123456789abcdef"].map((c) => `dose${c}`),
    minEntropy: 3,
    confidence: "high",
    category: "provider",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `DATABRICKS_CLIENT_SECRET=dose${r.hex(32)}`,
        (r) => `provider "databricks" {\n  client_id     = "${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-8${r.hex(3)}-${r.hex(12)}"\n  client_secret = "dose${r.hex(32)}"\n}`,
      ],
      negative: [
        { text: "DATABRICKS_CLIENT_SECRET=doseXXXXXXXX-REPLACE-ME-XXXXXXXX", reason: "placeholder" },
        { text: "the recommended dose is 2 tablets", reason: "prose" },
      ],
    },
  },
];
