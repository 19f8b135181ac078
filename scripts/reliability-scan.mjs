// `npm run reliability:scan`: the scan half of Vigil's adversarial suite, with more trials than CI
// runs. A real `vigil serve` is killed (SIGTERM and kill -9, alternately) at seeded random points of
// a background scan and started again; corrupt repositories (each kind of object), special files,
// huge lines, binary floods, names and bytes that are not UTF-8, hostile patterns with a time bound,
// and scans past 130,000 files and 250,000 findings. The seed is printed; replay a run with
// VIGIL_RELIABILITY_SEED=<seed>.
//
//   npm run reliability:scan                       20 kill trials, a fresh seed
//   npm run reliability:scan -- --trials 100 --seed 42
//
// Needs a build (npm install does it) and git; PostgreSQL is not needed (the kill trials use SQLite).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const trials = Number(option("trials", process.env.VIGIL_RELIABILITY_TRIALS ?? "20"));
const seed = Number(option("seed", process.env.VIGIL_RELIABILITY_SEED ?? String(Math.floor(Math.random() * 1e9))));
if (!Number.isInteger(trials) || trials < 1 || !Number.isInteger(seed)) {
  console.error("usage: npm run reliability:scan -- [--trials N] [--seed S]");
  process.exit(2);
}
console.log(`reliability (scan): ${trials} kill trials, seed ${seed}`);

const files = [
  "packages/vigil/src/server/scan-interruption.e2e.test.ts",
  "packages/vigil/src/sources/git/corrupt-history.test.ts",
  "packages/vigil/src/cli/commands/scan-hostile-files.test.ts",
  "packages/vigil/src/cli/commands/hostile-patterns.test.ts",
  "packages/vigil/src/cli/commands/scan-scale.test.ts",
  "packages/engine/src/invalid-utf8.test.ts",
  "packages/engine/src/regex-cost.test.ts",
];
const result = spawnSync("npx", ["vitest", "run", ...files], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, VIGIL_RELIABILITY_TRIALS: String(trials), VIGIL_RELIABILITY_SEED: String(seed) },
});
console.log(`reliability (scan): seed ${seed} ${result.status === 0 ? "passed" : "FAILED"}`);
process.exit(result.status ?? 1);
