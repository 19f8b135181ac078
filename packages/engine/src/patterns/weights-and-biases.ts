import type { PatternDefinition } from "../pattern.js";

export const weightsAndBiasesPatterns: PatternDefinition[] = [
  {
    id: "wandb_api_key",
    name: "Weights & Biases API Key",
    provider: "Weights & Biases",
    // Current keys: `wandb_v1_` + 27 + `_` + 49 alphanumerics. Legacy keys are 40 hex, found only beside a W&B setting name.
    regex: "wandb_v1_[A-Za-z0-9]{27}_[A-Za-z0-9]{49}|[a-f0-9]{40}",
    keywords: ["wandb_v1_", "wandb_api_key", "wandb_key"],
    // A legacy key follows its setting name (`WANDB_API_KEY=`): the regex looks no further than one
    // key length past a keyword, so a commit hash on a later line is not taken for a key.
    window: { before: 0, after: 80 },
    mustMatch: ["[0-9]", "[a-z]"],
    minEntropy: 3.2,
    confidence: "high",
    category: "provider",
    pushProtection: true,
    examples: {
      positive: [(r) => `WANDB_API_KEY=wandb_v1_${r.alnum(27)}_${r.alnum(49)}`, (r) => `export WANDB_API_KEY=${r.hex(38)}a1`],
      negative: [
        { text: (r) => `wandb_v1_${r.alnum(27)}`, reason: "incomplete key" },
        { text: (r) => `commit ${r.hex(38)}a1`, reason: "a 40-hex value with no W&B setting near" },
        {
          text: (r) => `WANDB_API_KEY comes from the environment (your W&B user settings page).\nrevision: ${r.hex(38)}b2`,
          reason: "a commit hash on a later line is not the key",
        },
      ],
    },
  },
];
