// `npm run bench`: engine throughput, `vigil scan` end to end, the git history scan (bench/history.mjs)
// and push protection (bench/push.mjs), each against a baseline measured in the same run.
// `npm run bench -- history --commits 2000` for a quick history run; `npm run bench -- push` for the push one;
// `npm run bench -- history-real --repo bench/.work/webpack.git` for a real repository (bench/history-real.mjs);
// `npm run bench -- worktree --dir /tmp/webpack-wt` for a checked-out work tree against `cat` (bench/worktree.mjs).
// Speed is reported, never asserted. Requires a build (npm install does it).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR, ROOT, buildTree, loadSourceBuffers } from "./corpus.mjs";
import { historyOptions, runHistoryBench } from "./history.mjs";
import { historyRealOptions, runHistoryRealBench } from "./history-real.mjs";
import { pushOptions, runPushBench } from "./push.mjs";
import { runWebhooksBench, webhookOptions } from "./webhooks.mjs";
import { metricsOptions, runMetricsBench } from "./metrics.mjs";
import { runCustomPatternsBench } from "./custom-patterns.mjs";
import { runScaleBench, scaleOptions } from "./scale.mjs";
import { runStartupBench, startupOptions } from "./startup.mjs";
import { runWorktreeBench, worktreeOptions } from "./worktree.mjs";

// Names of benchmarks to run (default: all); options such as `--commits N` (history) are not names.
const argv = process.argv.slice(2);
const args = new Set(argv.filter((a, i) => !a.startsWith("--") && !argv[i - 1]?.startsWith("--")));
const only = (name) => args.size === 0 || args.has(name);
const results = { date: new Date().toISOString(), node: process.version };
const mb = (bytes) => bytes / 1e6;
const fmt = (n, d = 1) => n.toFixed(d);

function time(fn) {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

function best(runs, fn) {
  let min = Infinity;
  let value;
  for (let i = 0; i < runs; i++) {
    const r = time(fn);
    if (r.ms < min) min = r.ms;
    value = r.value;
  }
  return { ms: min, value };
}

if (only("engine")) {
  const { buffers, bytes } = loadSourceBuffers(100e6);
  const passes = 3;
  const total = bytes * passes;
  const rounds = Number(argv[argv.indexOf("--rounds") + 1] ?? 3) || 3;
  console.log(`engine: ${buffers.length} source files, ${fmt(mb(bytes))} MB x ${passes} passes, one core, ${rounds} rounds`);
  // Baseline: touching every byte once in JS (what any byte-level scan must at least pay).
  const baseline = best(3, () => {
    let sum = 0;
    for (let p = 0; p < passes; p++) for (const b of buffers) for (let i = 0; i < b.length; i++) sum = (sum + b[i]) | 0;
    return sum;
  });
  results.engine = { bytes: total, baselineMBps: mb(total) / (baseline.ms / 1000), rounds: [], sets: [] };
  console.log(`  baseline byte loop     ${fmt(mb(total) / (baseline.ms / 1000)).padStart(8)} MB/s`);
  // Each set in a fresh process (bench/engine-set.mjs), the two alternating, so that both see the same
  // machine; the ratio is the median of the rounds' ratios.
  const measure = (set) =>
    JSON.parse(execFileSync(process.execPath, [join(ROOT, "bench", "engine-set.mjs"), set, "5"], { encoding: "utf8" }));
  for (let r = 0; r < rounds; r++) {
    const fifty = measure("fifty");
    const whole = measure("whole");
    results.engine.rounds.push({ fifty, whole, ratio: whole.ms / fifty.ms });
    console.log(
      `  round ${r + 1}: 50 patterns ${fmt(mb(fifty.bytes) / (fifty.ms / 1000)).padStart(7)} MB/s, whole catalog (${whole.patterns}) ${fmt(mb(whole.bytes) / (whole.ms / 1000)).padStart(7)} MB/s: ${fmt(whole.ms / fifty.ms, 2)}x`,
    );
  }
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  for (const key of ["fifty", "whole"]) {
    const ms = median(results.engine.rounds.map((round) => round[key].ms));
    const { patterns, findings } = results.engine.rounds[0][key];
    const label = key === "fifty" ? "50 patterns" : `whole catalog (${patterns} patterns)`;
    results.engine.sets.push({ label, patterns, MBps: mb(total) / (ms / 1000), findings });
    console.log(`  ${label.padEnd(22)} ${fmt(mb(total) / (ms / 1000)).padStart(8)} MB/s  (median; ${findings} findings per pass)`);
  }
  results.engine.catalogSlowdown = median(results.engine.rounds.map((round) => round.ratio));
  console.log(`  whole catalog vs 50 patterns: ${fmt(results.engine.catalogSlowdown, 2)}x the time (median of ${rounds} rounds)`);
}

if (only("scan")) {
  const tree = buildTree({ name: "tree", targetFiles: 17000, targetBytes: 40e6, maxFileBytes: 8 * 1024 });
  console.log(`scan: ${tree.files} files, ${fmt(mb(tree.bytes))} MB, ${tree.planted.length} planted secrets`);
  const cat = () => execFileSync("sh", ["-c", `find . -type f -print0 | xargs -0 cat > /dev/null`], { cwd: tree.dir });
  cat(); // warm the page cache for both measurements
  const raw = best(3, cat);
  const out = join(BENCH_DIR, ".work", "scan.json");
  mkdirSync(join(BENCH_DIR, ".work"), { recursive: true });
  const vigil = best(3, () =>
    spawnSync(process.execPath, [join(ROOT, "packages/vigil/bin/vigil.js"), "scan", ".", "-f", "json", "-o", out, "--no-progress"], {
      cwd: tree.dir,
      encoding: "utf8",
    }),
  );
  if (vigil.value.status !== 1) throw new Error(`vigil scan exited ${vigil.value.status}: ${vigil.value.stderr}`);
  const findings = JSON.parse(readFileSync(out, "utf8"));
  const missed = tree.planted.filter(
    (p) => !findings.some((f) => f.path === p.path && f.start_line === p.line && f.secret_type === p.type),
  );
  results.scan = {
    files: tree.files,
    bytes: tree.bytes,
    rawReadMs: raw.ms,
    vigilMs: vigil.ms,
    ratio: vigil.ms / raw.ms,
    planted: tree.planted.length,
    missed: missed.length,
    findings: findings.length,
  };
  console.log(`  raw read (cat)   ${fmt(raw.ms, 0).padStart(7)} ms`);
  console.log(`  vigil scan       ${fmt(vigil.ms, 0).padStart(7)} ms  = ${fmt(vigil.ms / raw.ms, 2)}x raw read`);
  console.log(`  planted secrets found: ${tree.planted.length - missed.length}/${tree.planted.length}; findings in total: ${findings.length}`);
  for (const m of missed) console.log(`  MISSED ${m.type} at ${m.path}:${m.line}`);
  if (missed.length > 0) process.exitCode = 1;
}

if (only("history")) results.history = await runHistoryBench(historyOptions(argv));

// Only when named: it needs a clone of a real repository (`--repo`).
if (args.has("history-real")) results.historyReal = await runHistoryRealBench(historyRealOptions(argv));
// Only when named: it needs a checked-out work tree (`--dir`).
if (args.has("worktree")) results.worktree = await runWorktreeBench(worktreeOptions(argv));

if (only("push")) results.push = await runPushBench(pushOptions(argv));

if (only("webhooks")) results.webhooks = await runWebhooksBench(webhookOptions(argv));
if (only("metrics")) results.metrics = await runMetricsBench(metricsOptions(argv));

if (only("custom-patterns")) results.customPatterns = runCustomPatternsBench();

if (only("scale")) results.scale = await runScaleBench(scaleOptions(argv));

if (only("startup")) results.startup = await runStartupBench(startupOptions(argv));

mkdirSync(join(BENCH_DIR, ".work"), { recursive: true });
writeFileSync(join(BENCH_DIR, ".work", "results.json"), JSON.stringify(results, null, 2));
