// The engine's two catalogs measured side by side: `node bench/engine-pair.mjs [rounds]`.
// Both matchers are built in this one process and scan the corpus in turn (50 patterns, whole catalog,
// 50 patterns, …), so that both see the same machine from moment to moment: on a shared VM the speed
// of a core drifts by 10-20% over seconds, and sets measured one after the other (or in separate
// processes) gave ratios from 1.1x to 1.8x on one build. Prints JSON: each set's best time of
// `rounds` scans (3 passes over the corpus each) and the ratio of each round's adjacent pair.
import { builtinPatterns, createMatcher } from "../packages/engine/dist/index.js";
import { loadSourceBuffers } from "./corpus.mjs";

const rounds = Number(process.argv[2] ?? 7);
const passes = 3;
const provider = builtinPatterns.filter((p) => p.category !== "generic");
const sets = {
  fifty: createMatcher(provider.slice(0, 50)).matcher,
  whole: createMatcher(builtinPatterns).matcher,
};
const { buffers, bytes } = loadSourceBuffers(100e6);
const scan = (matcher) => {
  const start = performance.now();
  let findings = 0;
  for (let p = 0; p < passes; p++) for (const b of buffers) findings += matcher.scan(b).length;
  return { ms: performance.now() - start, findings: findings / passes };
};
// One unmeasured pass each: regexes compile at their first window.
scan(sets.fifty);
scan(sets.whole);
const best = { fifty: Infinity, whole: Infinity };
const findings = { fifty: 0, whole: 0 };
const ratios = [];
for (let r = 0; r < rounds; r++) {
  const fifty = scan(sets.fifty);
  const whole = scan(sets.whole);
  best.fifty = Math.min(best.fifty, fifty.ms);
  best.whole = Math.min(best.whole, whole.ms);
  findings.fifty = fifty.findings;
  findings.whole = whole.findings;
  ratios.push(whole.ms / fifty.ms);
}
console.log(
  JSON.stringify({
    files: buffers.length,
    bytes: bytes * passes,
    patterns: { fifty: 50, whole: builtinPatterns.length },
    best,
    findings,
    ratios,
  }),
);
