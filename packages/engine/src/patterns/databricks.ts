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
];
