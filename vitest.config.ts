import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "vigil-secrets-engine": fileURLToPath(new URL("./packages/engine/src/index.ts", import.meta.url)),
      "vigil-secrets-partner": fileURLToPath(new URL("./packages/partner/src/index.ts", import.meta.url)),
    },
  },
  test: {
    include: ["packages/*/src/**/*.test.ts"],
    globalSetup: ["./vitest.global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
