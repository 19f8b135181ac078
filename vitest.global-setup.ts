import { spawnSync } from "node:child_process";

/**
 * End-to-end tests run the built CLI (worker threads load compiled JS): build once, before any test.
 * tsc -b emits even when a file has a type error; type errors fail `npm run typecheck` (and CI),
 * not the build of the files the tests run, so one unfinished file elsewhere does not stop every suite.
 */
export default function setup(): void {
  // The rule documents (packages/engine/rules/*.yaml) compile into a module the engine imports.
  const rules = spawnSync(process.execPath, ["scripts/compile-rules.mjs", "--quiet"], { stdio: "inherit" });
  if (rules.error) throw rules.error;
  if (rules.status !== 0) throw new Error("vitest setup: the rule documents have problems (see above)");
  const checks = spawnSync(process.execPath, ["scripts/compile-validity-checks.mjs", "--quiet"], { stdio: "inherit" });
  if (checks.error) throw checks.error;
  if (checks.status !== 0) throw new Error("vitest setup: the validity-check documents have problems (see above)");
  const result = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-b", "packages/engine", "packages/partner", "packages/vigil"], {
    stdio: "inherit",
  });
  if (result.error) throw result.error;
  if (result.status !== 0) process.stderr.write("vitest setup: tsc reported errors (see above); running tests against what it emitted\n");
  // bin/vigil.js runs the bundle when it is as new as the compiled modules: end-to-end tests run what users run.
  const bundle = spawnSync(process.execPath, ["scripts/bundle-cli.mjs", "--quiet"], { stdio: "inherit" });
  if (bundle.error) throw bundle.error;
  if (bundle.status !== 0) throw new Error("vitest setup: bundling the CLI failed (see above)");
}
