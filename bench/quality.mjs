// `npm run bench:quality`: detection quality of the built-in catalog.
//
//   node bench/quality.mjs              both parts
//   node bench/quality.mjs corpus       the labeled corpus only: recall and false alarms per family
//   node bench/quality.mjs ordinary     false alarms per 100 MB of ordinary code (installed npm packages)
//   node bench/quality.mjs dev-set      the development set in ../shared/quality-dev-set/, scored by its own
//                                       score.mjs: material the catalog was not generated from
//   --all                               list every miss and false alarm on the corpus (default: up to 50)
//
// The labeled corpus (bench/quality/generate.mjs) is rebuilt each run in bench/.cache/quality/. The run
// fails (exit 1) when recall on it is below 95% or false alarms above 2% of findings. The result is
// written to bench/.cache/quality-result.json. Requires a build (`npm run build`).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { evaluate } from "./quality/evaluate.mjs";
import { writeCorpus } from "./quality/generate.mjs";
import { scanOrdinaryCode } from "./quality/ordinary.mjs";
import { createScanner } from "./quality/scan.mjs";
import { BENCH_DIR, ROOT } from "./corpus.mjs";

const MIN_RECALL = 0.95;
const MAX_FALSE_ALARM_RATE = 0.02;

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith("--")));
const parts = new Set(args.filter((a) => !a.startsWith("--")));
const only = (name) => parts.size === 0 || parts.has(name);
const limit = flags.has("--all") ? Infinity : 50;
const pct = (x) => (x === null ? "   -  " : `${(x * 100).toFixed(1).padStart(5)}%`);
const cacheDir = join(BENCH_DIR, ".cache");
const result = { date: new Date().toISOString(), node: process.version };
const scanner = createScanner();

if (only("corpus")) {
  const corpus = writeCorpus(join(cacheDir, "quality"));
  const findingsByFile = new Map();
  let scanned = 0;
  for (const file of corpusFiles(corpus.dir)) {
    const { findings } = scanner.scanFile(join(corpus.dir, file));
    scanned++;
    if (findings.length > 0) findingsByFile.set(file, findings);
  }
  const e = evaluate(corpus.labels, findingsByFile);
  console.log(
    `labeled corpus: ${corpus.files} files (${scanned} scanned), ${(corpus.bytes / 1e6).toFixed(2)} MB, ` +
      `${corpus.planted} planted secrets of ${new Set(corpus.labels.map((l) => l.type)).size} types, ${Object.keys(corpus.kinds).length} kinds of file`,
  );
  console.log("");
  console.log(`${"family".padEnd(34)} planted  found generic missed  recall   TP   FA  FA rate`);
  for (const r of [...e.rows, e.total]) {
    if (r === e.total) console.log("-".repeat(86));
    console.log(
      `${r.family.slice(0, 34).padEnd(34)} ${String(r.planted).padStart(7)} ${String(r.found).padStart(6)} ${String(r.generic).padStart(7)} ${String(r.missed).padStart(6)}  ${pct(r.recall)} ${String(r.truePositives).padStart(4)} ${String(r.falseAlarms).padStart(4)}  ${pct(r.falseAlarmRate)}`,
    );
  }
  if (corpus.problems.length > 0) {
    console.log(`\nexamples that gave no token (their patterns are not in the corpus): ${corpus.problems.length}`);
    for (const p of corpus.problems.slice(0, limit)) console.log(`  ${p}`);
  }
  if (e.missed.length > 0) {
    console.log(`\nmissed (${e.missed.length}):`);
    for (const l of e.missed.slice(0, limit)) {
      console.log(
        `  ${l.type} at ${l.file}:${l.line}${l.foundAs.length ? ` (reported as ${[...new Set(l.foundAs)].join(", ")})` : ""}  [${l.source}]`,
      );
    }
  }
  if (e.generic.length > 0) {
    console.log(`\nfound only by a generic pattern (${e.generic.length}):`);
    for (const l of e.generic.slice(0, limit)) console.log(`  ${l.type} at ${l.file}:${l.line}`);
  }
  if (e.falseAlarms.length > 0) {
    console.log(`\nfalse alarms (${e.falseAlarms.length}):`);
    for (const f of e.falseAlarms.slice(0, limit))
      console.log(`  ${f.type}${f.verdict === "mistyped" ? " (wrong type)" : ""} at ${f.file}:${f.line}  ${f.context}`);
  }
  if (e.duplicates > 0)
    console.log(`\nplanted secrets reported more than once: ${e.duplicates} extra reports (counted as true positives)`);
  const t = e.total;
  const pass = t.recall >= MIN_RECALL && t.falseAlarmRate <= MAX_FALSE_ALARM_RATE;
  console.log(
    `\nrecall ${pct(t.recall).trim()} (typed ${pct(t.typedRecall).trim()}; target >= ${MIN_RECALL * 100}%), ` +
      `false alarms ${t.falseAlarms} = ${pct(t.falseAlarmRate).trim()} of findings (target <= ${MAX_FALSE_ALARM_RATE * 100}%): ${pass ? "PASS" : "FAIL"}`,
  );
  if (!pass) process.exitCode = 1;
  result.corpus = {
    files: corpus.files,
    bytes: corpus.bytes,
    planted: corpus.planted,
    types: new Set(corpus.labels.map((l) => l.type)).size,
    kinds: corpus.kinds,
    problems: corpus.problems,
    total: t,
    duplicates: e.duplicates,
    families: e.rows,
    missed: e.missed.map(({ file, line, type, foundAs, source }) => ({ file, line, type, foundAs, source })),
    foundGeneric: e.generic.map(({ file, line, type }) => ({ file, line, type })),
    falseAlarms: e.falseAlarms.map(({ file, line, type, verdict, masked, context }) => ({
      file,
      line,
      type,
      verdict,
      masked,
      context,
    })),
    pass,
  };
}

if (only("ordinary")) {
  const roots = [join(ROOT, "node_modules"), "/usr/lib/node_modules"];
  const started = performance.now();
  const o = scanOrdinaryCode(scanner, roots, (path) => (path.startsWith(ROOT) ? relative(ROOT, path) : path));
  const per100 = o.findings.length / (o.bytes / 1e8);
  console.log(
    `\nordinary code: ${o.unique} unique files of ${o.files} (${(o.bytes / 1e6).toFixed(1)} MB) from ${roots.join(", ")}, ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(`findings: ${o.findings.length} = ${per100.toFixed(1)} per 100 MB`);
  // Every finding is listed: each one is to be reviewed (docs/benchmarks.md records the verdicts).
  for (const f of o.findings) console.log(`  ${f.type}  ${f.file}:${f.line}  ${f.masked}  | ${f.context}`);
  result.ordinary = {
    roots,
    files: o.files,
    unique: o.unique,
    bytes: o.bytes,
    findings: o.findings.length,
    per100MB: per100,
    list: o.findings,
  };
}

if (only("dev-set")) {
  // The second, independent figure: another project's labeled lines, scored by that folder's own scorer.
  const setDir = join(ROOT, "..", "shared", "quality-dev-set");
  const scorer = join(setDir, "score.mjs");
  if (!existsSync(scorer)) {
    console.log(`\ndevelopment set: ${scorer} not found, skipped (it sits beside the repository as ../shared)`);
  } else {
    const vigil = join(ROOT, "packages", "vigil", "bin", "vigil.js");
    const run = spawnSync(process.execPath, [scorer, "--vigil", vigil], { encoding: "utf8" });
    const lines = run.stdout.split("\n").filter((line) => /: recall /.test(line));
    console.log(`\ndevelopment set (${relative(ROOT, setDir)}, its score.mjs):`);
    for (const line of lines) console.log(`  ${line}`);
    if (run.status !== 0 || lines.length === 0) {
      console.log(`  the scorer failed (exit ${run.status}): ${run.stderr.slice(0, 500)}`);
      process.exitCode = 1;
    }
    result.devSet = lines.map((line) => {
      const m = /^(\S+): recall [\d.]+% \((\d+)\/(\d+)\), false alarms [\d.]+% \((\d+)\/(\d+)\)/.exec(line);
      return m
        ? { set: m[1], found: Number(m[2]), positives: Number(m[3]), falseAlarms: Number(m[4]), negatives: Number(m[5]) }
        : { line };
    });
  }
}

mkdirSync(cacheDir, { recursive: true });
writeFileSync(join(cacheDir, "quality-result.json"), JSON.stringify(result, null, 2));

/** The corpus's files, relative to its folder, in sorted order. */
function corpusFiles(dir, prefix = "") {
  const out = [];
  const entries = readdirSync(join(dir, prefix), { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...corpusFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}
