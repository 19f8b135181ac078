// Start-up benchmark: CPU time (user + sys, from /usr/bin/time, 10 ms resolution) of `node -e 0`,
// `vigil --version`, `vigil --help` and `vigil scan one.txt` (a 12-byte file), median (min) of N
// runs interleaved with the same commands of a baseline checkout (another build of Vigil: main's),
// so a loaded machine slows both alike. CPU, not wall time: load inflates wall time, far less CPU.
//
//   node bench/startup.mjs --baseline /work/main [--runs 11]
//   npm run bench -- startup --baseline /work/main
//
// Speed is reported, never asserted.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export function startupOptions(argv) {
  const value = (name) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const runs = Number(value("--runs") ?? 11);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${value("--runs")}`);
  const baseline = value("--baseline");
  return { runs, baseline: baseline === undefined ? undefined : resolve(baseline) };
}

/** CPU ms (user + sys) of one run of `node ...args` in cwd; throws when it fails. */
function cpuMs(args, cwd) {
  const r = spawnSync("/usr/bin/time", ["-f", "%U %S", process.execPath, ...args], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  return Math.round((user + sys) * 1000);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runStartupBench({ runs, baseline }) {
  const dir = mkdtempSync(join(tmpdir(), "vigil-startup-"));
  writeFileSync(join(dir, "one.txt"), "hello world\n");
  const builds = [["now", ROOT], ...(baseline ? [["baseline", baseline]] : [])];
  const commands = [
    ["node -e 0", () => ["-e", "0"]],
    ["vigil --version", (root) => [join(root, "packages/vigil/bin/vigil.js"), "--version"]],
    ["vigil --help", (root) => [join(root, "packages/vigil/bin/vigil.js"), "--help"]],
    ["vigil scan one.txt --no-progress", (root) => [join(root, "packages/vigil/bin/vigil.js"), "scan", "one.txt", "--no-progress"]],
  ];
  const samples = {};
  try {
    for (let i = 0; i < runs; i++) {
      for (const [name, args] of commands) {
        for (const [build, root] of builds) {
          if (name === "node -e 0" && build === "baseline") continue;
          (samples[`${name}|${build}`] ??= []).push(cpuMs(args(root), dir));
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nstart-up: CPU ms (user + sys), median (min) of ${runs} interleaved runs`);
  const result = {};
  for (const [name] of commands) {
    const cell = (build) => {
      const xs = samples[`${name}|${build}`];
      return xs ? { median: median(xs), min: Math.min(...xs) } : undefined;
    };
    const now = cell("now");
    const base = cell("baseline");
    result[name] = { now, baseline: base };
    const show = (c) => (c ? `${c.median} (${c.min})` : "");
    const ratio = base && now ? `  ${(now.median / base.median).toFixed(2)}x baseline` : "";
    console.log(`  ${name.padEnd(34)} baseline ${show(base).padEnd(10)} now ${show(now)}${ratio}`);
  }
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runStartupBench(startupOptions(process.argv.slice(2)));
