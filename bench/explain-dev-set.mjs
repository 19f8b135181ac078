// `node bench/explain-dev-set.mjs [vigil CLI] [dev-set folder]`: why the development set's missed lines are missed,
// by `vigil scan --explain` reason (counts only; no line of the set is printed). Defaults: this build, ../shared/quality-dev-set.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
const vigil = process.argv[2] ?? new URL("../packages/vigil/bin/vigil.js", import.meta.url).pathname;
const setDir = process.argv[3] ?? new URL("../../shared/quality-dev-set/", import.meta.url).pathname;
for (const set of ["kingfisher.jsonl", "noseyparker.jsonl"]) {
  const records = fs
    .readFileSync(path.join(setDir, set), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dev-explain-"));
  records.forEach((r, i) => {
    fs.mkdirSync(path.join(root, String(i)));
    fs.writeFileSync(path.join(root, String(i), "sample.txt"), r.text);
  });
  const out = `${root}.json`;
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [vigil, "scan", root, "--no-progress", "--explain", "--format", "json", "--output", out],
    { encoding: "utf8" },
  );
  const seconds = (performance.now() - started) / 1000;
  const report = JSON.parse(fs.readFileSync(out, "utf8"));
  const index = (p) => Number(path.relative(root, path.resolve(root, p)).split(path.sep)[0]);
  const hit = new Set(report.findings.map((f) => index(f.path)));
  const reasons = new Map();
  for (const e of report.explained) {
    const i = index(e.path);
    if (!reasons.has(i)) reasons.set(i, new Set());
    reasons.get(i).add(e.reason === "placeholder" ? `placeholder/${e.detail.test}` : e.reason);
  }
  const tally = (label) => {
    const counts = {};
    let n = 0;
    records.forEach((r, i) => {
      if (r.label !== label || hit.has(i)) return;
      n++;
      for (const reason of reasons.get(i) ?? ["(no candidate)"]) counts[reason] = (counts[reason] ?? 0) + 1;
    });
    return { n, counts: Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1])) };
  };
  console.log(
    set,
    `(${seconds.toFixed(1)} s, exit ${run.status}, ${report.findings.length} findings, ${report.explained.length} explained)`,
  );
  console.log("  missed tp lines by reason:", JSON.stringify(tally("tp")));
  console.log("  fp lines kept out, by reason:", JSON.stringify(tally("fp")));
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(out, { force: true });
}
