// `node bench/explain-ab.mjs`: the engine before and after a change, interleaved in one process (issue 16,
// `vigil scan --explain`: the scan must not slow down). Build the base's engine beside the current one first:
//   git stash && npx tsc -b packages/engine && cp -a packages/engine/dist packages/engine/dist-before && git stash pop && npx tsc -b packages/engine
// (or check out the base commit in a scratch tree). Reports the best CPU time of 5 rounds per matcher, and the ratio.
import { loadSourceBuffers } from "./corpus.mjs";
const before = await import("../packages/engine/dist-before/index.js");
const after = await import("../packages/engine/dist/index.js");

function bestCpu(matchers, buffers) {
  const best = {};
  for (let round = 0; round < 5; round++)
    for (const [key, matcher] of Object.entries(matchers)) {
      const cpu = process.cpuUsage();
      let n = 0;
      for (const b of buffers) n += matcher.scan(b).length;
      const c = process.cpuUsage(cpu);
      const ms = (c.user + c.system) / 1000;
      if (!best[key] || ms < best[key].ms) best[key] = { ms, n };
    }
  return best;
}

// 1. The engine corpus (100 MB of source files), 50 provider patterns and the whole catalog.
const { buffers, bytes } = loadSourceBuffers(100e6);
const matchers = {};
for (const [name, lib] of [
  ["before", before],
  ["after", after],
]) {
  const provider = lib.builtinPatterns.filter((p) => p.category !== "generic");
  matchers[`${name} 50`] = lib.createMatcher(provider.slice(0, 50)).matcher;
  matchers[`${name} whole`] = lib.createMatcher(lib.builtinPatterns).matcher;
}
const corpus = bestCpu(matchers, buffers);
for (const [key, v] of Object.entries(corpus))
  console.log(
    `${key.padEnd(14)} ${(bytes / 1e6 / (v.ms / 1000)).toFixed(1)} MB/s per CPU-second (best ${v.ms.toFixed(0)} ms, ${v.n} findings)`,
  );
for (const label of ["50", "whole"])
  console.log(
    `after/before CPU time, ${label}: ${(corpus[`after ${label}`].ms / corpus[`before ${label}`].ms).toFixed(3)}`,
  );

// 2. Content full of rejected candidates (broken checksums, placeholders): the branch that records rejections.
const r = new after.ExampleRandom(5);
const lines = [];
for (let i = 0; i < 40000; i++) {
  const t = after.withGithubChecksum(`ghp_${r.alnum(30)}`);
  lines.push(
    `old_${i} = "${t.slice(0, -1)}${t.endsWith("a") ? "b" : "a"}"`,
    `aws_${i} = AKIAIOSFODNN7EXAMPLE`,
    `password = "changeme${i}"`,
    `filler line ${r.alnum(40)}`,
  );
}
const rejected = [];
for (let i = 0; i < lines.length; i += 400) rejected.push(Buffer.from(lines.slice(i, i + 400).join("\n") + "\n"));
const rejectedBytes = rejected.reduce((s, b) => s + b.length, 0);
const whole = bestCpu({ before: matchers["before whole"], after: matchers["after whole"] }, rejected);
for (const key of ["before", "after"])
  console.log(
    `rejections, ${key}: ${(rejectedBytes / 1e6).toFixed(1)} MB, best CPU ${whole[key].ms.toFixed(0)} ms, ${whole[key].n} findings`,
  );
console.log(`after/before CPU time, rejections: ${(whole.after.ms / whole.before.ms).toFixed(3)}`);
