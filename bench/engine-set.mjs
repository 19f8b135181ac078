// One engine measurement in a process of its own: `node bench/engine-set.mjs <fifty|whole> [runs]`.
// Prints JSON: the best time of `runs` scans of the corpus (3 passes each), its bytes and findings.
// bench/run.mjs starts one process per set and round: a set measured second in a shared process ran
// in the first set's heap (and, in one-process A/B runs, a second re2 copy measured 2.3-2.7x slower),
// which made the ratio swing between 1.4x and 1.8x from run to run on the same build.
import { builtinPatterns, createMatcher } from "../packages/engine/dist/index.js";
import { loadSourceBuffers } from "./corpus.mjs";

const [set = "whole", runsArg = "5"] = process.argv.slice(2);
const runs = Number(runsArg);
const passes = 3;
const provider = builtinPatterns.filter((p) => p.category !== "generic");
const patterns = set === "fifty" ? provider.slice(0, 50) : builtinPatterns;
const { buffers, bytes } = loadSourceBuffers(100e6);
const { matcher } = createMatcher(patterns);
let best = Infinity;
let findings = 0;
for (let r = 0; r < runs; r++) {
  const start = performance.now();
  findings = 0;
  for (let p = 0; p < passes; p++) for (const b of buffers) findings += matcher.scan(b).length;
  best = Math.min(best, performance.now() - start);
}
console.log(JSON.stringify({ set, patterns: patterns.length, files: buffers.length, bytes: bytes * passes, ms: best, findings: findings / passes }));
