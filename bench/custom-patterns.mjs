// Hostile custom patterns: the shapes that make a backtracking regex engine take exponential or
// quadratic time, run as users' custom patterns (no keywords: the regex runs over the whole
// content) by the engine over adversarial text and over ordinary source, against a plain custom
// pattern in the same run. Then what the API refuses (too large, empty matches) and how fast it
// says so. Speed is reported, never asserted.
//
//   npm run bench -- custom-patterns
import { createMatcher, definePattern } from "../packages/engine/dist/index.js";
import { patternProblems } from "../packages/vigil/dist/custom-patterns/pattern-problems.js";
import { loadSourceBuffers } from "./corpus.mjs";

const fmt = (n, d = 1) => n.toFixed(d);
const mb = (bytes) => bytes / 1e6;

function best(runs, fn) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

/** Lines of `a` with no `b` after them: where `(a+)+b` backtracks exponentially in a backtracking engine. */
function adversarial(bytes) {
  const line = "a".repeat(60) + "!\n";
  return Buffer.from(line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes));
}

const HOSTILE = [
  ["plain (baseline)", "acme_[a-z0-9]{24}"],
  ["nested quantifier (a+)+b", "(a+)+b"],
  ["overlapping alternation (a|aa)+b", "(a|aa)+b"],
  ["(.*a){12}x", "(.*a){12}x"],
  ["word groups (\\w+\\s?)+;", "(\\w+\\s?)+;"],
  // About the largest alternation the program-size limit lets through (20,000 RE2 instructions).
  ["600 alternatives", Array.from({ length: 600 }, (_, i) => `k${i}[a-z]{4,9}`).join("|")],
];

export function runCustomPatternsBench() {
  const hostileText = adversarial(1e6);
  const { buffers, bytes } = loadSourceBuffers(8e6);
  const source = Buffer.concat(buffers);
  const once = source.subarray(0, 2e6);
  const twice = Buffer.concat([once, once]);
  console.log(
    `custom-patterns: adversarial text ${fmt(mb(hostileText.length))} MB (runs of "a"), source ${fmt(mb(bytes))} MB, one core`,
  );
  const rows = [];
  for (const [label, pattern] of HOSTILE) {
    const { matcher, problems } = createMatcher([definePattern({ id: "cp_bench", name: label, pattern })]);
    if (problems.length > 0) throw new Error(`${label}: ${problems[0].reason}`);
    const hostileMs = best(3, () => matcher.scan(hostileText));
    const sourceMs = best(3, () => matcher.scan(source));
    // Linear time: the same 2 MB twice takes twice the time of once (a ratio near 2.0).
    const onceMs = best(3, () => matcher.scan(once));
    const twiceMs = best(3, () => matcher.scan(twice));
    const row = {
      label,
      hostileMBps: mb(hostileText.length) / (hostileMs / 1000),
      sourceMBps: mb(source.length) / (sourceMs / 1000),
      twiceOverOnce: twiceMs / onceMs,
    };
    rows.push(row);
    console.log(
      `  ${label.padEnd(34)} adversarial ${fmt(row.hostileMBps).padStart(7)} MB/s   source ${fmt(row.sourceMBps).padStart(7)} MB/s   2x input: ${fmt(row.twiceOverOnce, 2)}x time`,
    );
  }
  // What a backtracking engine (JavaScript's own) does with the nested quantifier on one short line.
  const js = [20, 24, 26].map((n) => {
    const text = "a".repeat(n) + "!";
    const ms = best(1, () => /(a+)+b/.test(text));
    console.log(`  JavaScript RegExp (a+)+b on ${n} "a"s: ${fmt(ms, 0)} ms (RE2 above: the whole MB)`);
    return { chars: n, ms };
  });
  const refused = [
    ["2,000 alternatives", Array.from({ length: 2000 }, (_, i) => `k${i}[a-z]{4,9}`).join("|")],
    ["[a-z]{1000}{1000}", "[a-z]{1000}{1000}"],
    ["matches the empty string", "[a-z]*"],
    ["backreference", "(a+)\\1"],
    ["lookahead", "(?=secret)[a-z]+"],
  ].map(([label, pattern]) => {
    let problems = [];
    const ms = best(3, () => {
      problems = patternProblems({
        name: label,
        pattern,
        startDelimiter: null,
        endDelimiter: null,
        mustMatch: null,
        mustNotMatch: null,
      });
    });
    console.log(
      `  refused: ${label.padEnd(26)} in ${fmt(ms, 2)} ms: ${problems[0]?.message.slice(0, 90) ?? "ACCEPTED"}`,
    );
    return { label, ms, refused: problems.length > 0 };
  });
  return { patterns: rows, javascript: js, refused };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) runCustomPatternsBench();
