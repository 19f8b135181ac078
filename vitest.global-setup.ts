import { execFileSync } from "node:child_process";

/** End-to-end tests run the built CLI (worker threads load compiled JS): build once, before any test. */
export default function setup(): void {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-b", "packages/engine", "packages/vigil"], {
    stdio: "inherit",
  });
}
