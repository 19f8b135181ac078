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
  const rounds = argv.includes("--rounds") ? Number(argv[argv.indexOf("--rounds") + 1]) || 7 : 7;
  console.log(`engine: ${buffers.length} source files, ${fmt(mb(bytes))} MB x ${passes} passes, one core, ${rounds} rounds`);
  // Baseline: touching every byte once in JS (what any byte-level scan must at least pay).
  const baseline = best(3, () => {
    let sum = 0;
    for (let p = 0; p < passes; p++) for (const b of buffers) for (let i = 0; i < b.length; i++) sum = (sum + b[i]) | 0;
    return sum;
  });
  results.engine = { bytes: total, baselineMBps: mb(total) / (baseline.ms / 1000), sets: [] };
  console.log(`  baseline byte loop     ${fmt(mb(total) / (baseline.ms / 1000)).padStart(8)} MB/s`);
  // Both sets in one process, in turn (bench/engine-pair.mjs): each set's best time, and the ratio of
  // the bests. The median of the rounds' pair ratios is reported beside it.
  const pair = JSON.parse(
    execFileSync(process.execPath, [join(ROOT, "bench", "engine-pair.mjs"), String(rounds)], {
      encoding: "utf8",
      maxBuffer: 1e7,
    }),
  );
  const sorted = [...pair.ratios].sort((a, b) => a - b);
  const medianRatio = sorted[sorted.length >> 1];
  for (const key of ["fifty", "whole"]) {
    const patterns = pair.patterns[key];
    const label = key === "fifty" ? "50 patterns" : `whole catalog (${patterns} patterns)`;
    const rate = mb(pair.bytes) / (pair.best[key] / 1000);
    results.engine.sets.push({ label, patterns, MBps: rate, findings: pair.findings[key] });
    console.log(`  ${label.padEnd(22)} ${fmt(rate).padStart(8)} MB/s  (best of ${rounds}; ${pair.findings[key]} findings per pass)`);
  }
  results.engine.catalogSlowdown = pair.best.whole / pair.best.fifty;
  results.engine.pairRatios = pair.ratios;
  console.log(
    `  whole catalog vs 50 patterns: ${fmt(results.engine.catalogSlowdown, 2)}x the time (best vs best; median of the ${rounds} rounds' pairs ${fmt(medianRatio, 2)}x, range ${fmt(sorted[0], 2)}-${fmt(sorted[sorted.length - 1], 2)}x)`,
  );
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
