// Where a scanning thread's warm-up goes, in one process (`node bench/warmup.mjs --dir /tmp/webpack-wt`):
// the tree's files are read first, then, CPU time each (`process.cpuUsage`):
//   1. matcher A is built and scans every file twice (cold, then warm);
//   2. matcher B is built (its RE2 regexes compile again at first use, its DFAs start empty) and
//      scans every file twice, with V8's code already warm from A.
// A's cold pass less B's first approximates what V8 warming the engine's code costs, B's first less
// its second what RE2 (compiles at first hit, DFA states) and per-matcher derived data cost; only
// roughly (docs/benchmarks.md, work tree, fourth round, profiles each pass on its own). One process per
// measurement (V8 stays warm): run it several times.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { builtinPatterns, createMatcher } from "../packages/engine/dist/index.js";

const argv = process.argv.slice(2);
const dir = argv[argv.indexOf("--dir") + 1];
if (!argv.includes("--dir") || !dir) throw new Error("usage: node bench/warmup.mjs --dir <work tree>");

const files = [];
(function walk(d) {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    if (e.name === ".git" || e.name === "node_modules") continue;
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.isFile()) files.push(p);
  }
})(dir);
const buffers = files.map((f) => readFileSync(f));
const mb = buffers.reduce((n, b) => n + b.length, 0) / 1e6;
const cpu = (fn) => {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
const scanAll = (m) => () => {
  for (const b of buffers) m.scan(b);
};

let a;
let b;
const buildA = cpu(() => (a = createMatcher(builtinPatterns, { lazyCompile: true }).matcher));
const a1 = cpu(scanAll(a));
const a2 = cpu(scanAll(a));
const buildB = cpu(() => (b = createMatcher(builtinPatterns, { lazyCompile: true }).matcher));
const b1 = cpu(scanAll(b));
const b2 = cpu(scanAll(b));
const f = (n) => `${n.toFixed(0)} ms`;
console.log(
  `${files.length} files, ${mb.toFixed(1)} MB: A built ${f(buildA)}, cold ${f(a1)}, warm ${f(a2)}; ` +
    `B built ${f(buildB)}, first ${f(b1)} (V8 warm, RE2 cold), second ${f(b2)}`,
);
