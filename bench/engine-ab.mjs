// A/B of the engine's throughput in ONE process: a baseline engine build (another checkout's
// `packages/engine/dist`, or a copy of it) against this checkout's, on the same corpus, runs
// interleaved, best of N, CPU time (`process.cpuUsage`, user + system), so that a shared, noisy
// machine hurts both sides alike. Also compares every finding of both (type, secret, offsets, lines,
// columns, fingerprint, pair) unless `--no-compare`.
//
//   node bench/engine-ab.mjs --baseline /work/main [--mb 30] [--runs 5] [--no-compare] [--only whole]
//                            [--compare-dir bench/.cache/quality] [--no-speed]
//
// `--baseline` is a checkout (its packages/engine/dist) or an engine dist folder itself.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { loadSourceBuffers } from "./corpus.mjs";
import { ROOT } from "./corpus.mjs";

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const baselineArg = option("baseline");
if (!baselineArg) {
  console.error("usage: node bench/engine-ab.mjs --baseline <checkout or engine dist> [--mb 30] [--runs 5]");
  process.exit(2);
}
const distOf = (path) => {
  const p = resolve(path);
  return existsSync(join(p, "packages/engine/dist/index.js")) ? join(p, "packages/engine/dist") : p;
};
const load = async (dist) => import(pathToFileURL(join(dist, "index.js")).href);
const A = await load(distOf(baselineArg));
const B = await load(join(ROOT, "packages/engine/dist"));
const mbLimit = Number(option("mb", "30"));
const runs = Number(option("runs", "5"));
const onlySet = option("only");
const { buffers, bytes } = loadSourceBuffers(mbLimit * 1e6);
const mb = bytes / 1e6;

const sets = (engine) => {
  const provider = engine.builtinPatterns.filter((p) => p.category !== "generic");
  return [
    ["50", provider.slice(0, 50)],
    ["whole", engine.builtinPatterns],
  ].filter(([name]) => !onlySet || name === onlySet);
};
const matchers = [];
for (const [side, engine] of [
  ["base", A],
  ["new", B],
]) {
  for (const [name, patterns] of sets(engine)) {
    const { matcher } = engine.createMatcher(patterns, { lazyCompile: true });
    matchers.push({ label: `${side} ${name}`, side, name, matcher, best: Infinity, count: patterns.length });
  }
}

const cpu = (fn) => {
  const before = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, value };
};
const pass = (matcher) => {
  let findings = 0;
  for (const b of buffers) findings += matcher.scan(b).length;
  return findings;
};
const byteLoop = () => {
  let sum = 0;
  for (const b of buffers) for (let i = 0; i < b.length; i++) sum = (sum + b[i]) | 0;
  return sum;
};

const speed = !argv.includes("--no-speed");
// Warm-up: compile what each matcher meets, let V8 optimize.
if (speed) for (const m of matchers) pass(m.matcher);
let loopBest = Infinity;
for (let r = 0; r < (speed ? runs : 0); r++) {
  loopBest = Math.min(loopBest, cpu(byteLoop).ms);
  const order = r % 2 === 0 ? matchers : [...matchers].reverse();
  for (const m of order) {
    const { ms, value } = cpu(() => pass(m.matcher));
    m.best = Math.min(m.best, ms);
    m.findings = value;
  }
}
const { loadavg } = await import("node:os");
console.log(
  `${buffers.length} files, ${mb.toFixed(1)} MB, best of ${runs}, CPU; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
console.log(`  byte loop            ${(mb / (loopBest / 1000)).toFixed(1).padStart(8)} MB/s`);
for (const m of matchers) {
  console.log(
    `  ${`${m.label} (${m.count})`.padEnd(20)} ${(mb / (m.best / 1000)).toFixed(1).padStart(8)} MB/s  ${m.best.toFixed(0).padStart(6)} ms  ${m.findings} findings`,
  );
}
for (const side of ["base", "new"]) {
  const fifty = matchers.find((m) => m.side === side && m.name === "50");
  const whole = matchers.find((m) => m.side === side && m.name === "whole");
  if (fifty && whole) console.log(`  ${side}: whole catalog / 50 patterns = ${(whole.best / fifty.best).toFixed(2)}x`);
}
const baseWhole = matchers.find((m) => m.label === "base whole");
const newWhole = matchers.find((m) => m.label === "new whole");
if (baseWhole && newWhole) console.log(`  whole catalog, base / new time = ${(baseWhole.best / newWhole.best).toFixed(2)}x`);

if (!argv.includes("--no-compare")) {
  // Every finding of both engines, whole catalog, compared as JSON.
  const describe = (f) =>
    JSON.stringify({
      t: f.secretType,
      s: f.secret.reveal ? f.secret.reveal() : String(f.secret),
      o: [f.startOffset, f.endOffset, f.startLine, f.endLine, f.startColumn, f.endColumn],
      fp: f.fingerprint,
      b64: f.isBase64Encoded,
      pp: f.pushProtection,
      p: f.paired ? [f.paired.secretType, f.paired.secret.reveal?.(), f.paired.startOffset, f.paired.endOffset] : null,
    });
  const a = A.createMatcher(A.builtinPatterns).matcher;
  const b = B.createMatcher(B.builtinPatterns).matcher;
  let total = 0;
  let differ = 0;
  // Besides the corpus: every file under each `--compare-dir` (the labeled quality corpus holds the
  // findings; node_modules holds next to none), alone and concatenated 40 at a time.
  const extra = [];
  for (const [k, arg] of argv.entries()) {
    if (arg !== "--compare-dir") continue;
    const files = [];
    const visit = (dir) => {
      for (const e of readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
        const p = join(dir, e.name);
        if (e.isDirectory()) visit(p);
        else if (e.isFile()) files.push(readFileSync(p));
      }
    };
    visit(resolve(argv[k + 1]));
    extra.push(...files);
    for (let i = 0; i < files.length; i += 40) extra.push(Buffer.concat(files.slice(i, i + 40)));
  }
  for (const [i, buffer] of [...buffers, ...extra].entries()) {
    const fa = a.scan(buffer).map(describe).join("\n");
    const fb = b.scan(buffer).map(describe).join("\n");
    total += fa === "" ? 0 : fa.split("\n").length;
    if (fa !== fb) {
      differ++;
      if (differ <= 5) console.log(`  DIFFER in file ${i}:\n    base ${fa.slice(0, 400)}\n    new  ${fb.slice(0, 400)}`);
    }
  }
  console.log(`  findings compared: ${total} (whole catalog), files that differ: ${differ}`);
  if (differ > 0) process.exitCode = 1;
}
