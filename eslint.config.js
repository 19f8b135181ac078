import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "bench/.corpus/**", "bench/.work/**", "bench/.cache/**", "coverage/**", "packages/engine/src/patterns/rules.generated.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ["./tsconfig.tests.json"], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // The engine is pure: no file system, network, processes or environment.
    files: ["packages/engine/src/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["fs", "node:fs", "fs/promises", "node:fs/promises", "child_process", "node:child_process", "net", "node:net", "http", "node:http", "https", "node:https", "worker_threads", "node:worker_threads"],
          patterns: [{ group: ["vigil-secrets", "vigil-secrets/*", "../../vigil/*"], message: "the engine depends on nothing of ours" }],
        },
      ],
      "no-restricted-globals": ["error", { name: "process", message: "the engine reads no environment" }],
    },
  },
  {
    // The partner receiver is for any token issuer: it depends on nothing of ours.
    files: ["packages/partner/src/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["vigil", "vigil/*", "@vigil/*", "../../vigil/*", "../../engine/*"], message: "vigil-secrets-partner depends on nothing of ours" }] }],
    },
  },
  // Dependencies point inward (DESIGN.md): the API, alerts, push protection, sources and scanning use
  // the store and the server only through interfaces; only cli/ and server/ build concrete adapters.
  ...[
    ["packages/vigil/src/api/**/*.ts", ["**/store/**", "**/server/**", "**/cli/**"]],
    ["packages/vigil/src/alerts/**/*.ts", ["**/store/**", "**/server/**", "**/cli/**", "**/api/**"]],
    ["packages/vigil/src/push-protection/**/*.ts", ["**/store/**", "**/server/**", "**/cli/**", "**/api/**"]],
    ["packages/vigil/src/sources/**/*.ts", ["**/store/**", "**/server/**", "**/cli/**", "**/api/**", "**/push-protection/**"]],
    ["packages/vigil/src/scan/**/*.ts", ["**/store/**", "**/server/**", "**/cli/**", "**/api/**", "**/push-protection/**"]],
    ["packages/vigil/src/store/**/*.ts", ["**/server/**", "**/cli/**", "**/api/**"]],
    ["packages/vigil/src/webhooks/**/*.ts", ["**/store/**", "**/server/**", "**/cli/**"]],
    ["packages/vigil/src/web/**/*.ts", ["**/store/**", "**/server/**", "**/cli/**"]],
  ].map(([files, forbidden]) => ({
    files: [files],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: forbidden, message: "dependencies point inward: use the interface this folder declares (DESIGN.md, module rules)" }] }],
    },
  })),
  {
    files: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "no-restricted-globals": "off",
    },
  },
  { files: ["**/*.js", "**/*.mjs"], ...tseslint.configs.disableTypeChecked },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly", Buffer: "readonly", performance: "readonly", setTimeout: "readonly" },
    },
  },
);
