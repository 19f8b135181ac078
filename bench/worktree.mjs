// Work tree: `vigil scan . --no-history --format json` against `cat` of every file of the same tree
// (`find . -path ./.git -prune -o -type f -print0 | xargs -0 cat > /dev/null`), measured in the same
// run, interleaved (cat, vigil, and a baseline checkout's vigil when given), under /usr/bin/time:
// wall time and CPU time (user + system, children included). Prints best and median of each and the
// ratio of the bests, with the load average before and after: on a shared machine both sides slow
// down alike, and CPU time is the steadier figure. With --baseline, the JSON outputs must be equal.
//
//   git clone -q bench/.work/webpack.git /tmp/webpack-wt
//   npm run bench -- worktree --dir /tmp/webpack-wt [--runs 7] [--baseline /work/main]
//   node bench/worktree.mjs --dir /tmp/webpack-wt --runs 7
//
// Speed is reported, never asserted.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const fmt = (n, d = 2) => n.toFixed(d);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function worktreeOptions(argv) {
  const value = (name) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const dir = value("--dir");
  if (!dir) throw new Error("worktree needs --dir <a checked-out work tree> (see docs/benchmarks.md)");
  const runs = Number(value("--runs") ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${value("--runs")}`);
  const baseline = value("--baseline");
  return { dir: resolve(dir), runs, baseline: baseline === undefined ? undefined : resolve(baseline) };
}

/** One run under /usr/bin/time: wall and CPU seconds. */
function timed(command, args, cwd, okStatuses = [0]) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S", command, ...args], { cwd, encoding: "utf8" });
  if (!okStatuses.includes(r.status)) throw new Error(`${command} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  const [wall, user, sys] = r.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  return { wall, cpu: user + sys };
}

export async function runWorktreeBench({ dir, runs, baseline, log = console.log }) {
  if (!existsSync(dir)) throw new Error(`--dir: ${dir} does not exist`);
  const out = mkdtempSync(join(tmpdir(), "vigil-worktree-"));
  const sides = [
    ["cat", () => timed("sh", ["-c", "find . -path ./.git -prune -o -type f -print0 | xargs -0 cat > /dev/null"], dir)],
    ...[["vigil", ROOT], ...(baseline ? [["baseline", baseline]] : [])].map(([name, root]) => [
      name,
      () =>
        timed(
          process.execPath,
          [
            join(root, "packages/vigil/bin/vigil.js"),
            "scan",
            ".",
            "--no-history",
            "--format",
            "json",
            "-o",
            join(out, `${name}.json`),
            "--no-progress",
          ],
          dir,
          [0, 1],
        ),
    ]),
  ];
  const before = loadavg();
  const samples = Object.fromEntries(sides.map(([name]) => [name, []]));
  try {
    sides[0][1](); // warm the page cache for every side
    for (let i = 0; i < runs; i++) for (const [name, run] of sides) samples[name].push(run());
    const same = baseline
      ? readFileSync(join(out, "vigil.json"), "utf8") === readFileSync(join(out, "baseline.json"), "utf8")
      : undefined;
    const after = loadavg();
    log(
      `worktree: ${dir}, ${runs} interleaved runs, load average ${before.map((l) => fmt(l)).join(" ")} before, ${after.map((l) => fmt(l)).join(" ")} after`,
    );
    const result = { dir, runs, loadBefore: before, loadAfter: after, sides: {} };
    const cat = samples.cat;
    const bestCat = Math.min(...cat.map((s) => s.wall));
    for (const [name] of sides) {
      const xs = samples[name];
      const wall = xs.map((s) => s.wall);
      const cpu = xs.map((s) => s.cpu);
      const best = Math.min(...wall);
      const ratio =
        name === "cat"
          ? ""
          : `  = ${fmt(best / bestCat)}x cat (median ${fmt(median(wall) / median(cat.map((s) => s.wall)))}x)`;
      log(
        `  ${name.padEnd(9)} wall best ${fmt(best)} s, median ${fmt(median(wall))} s; CPU best ${fmt(Math.min(...cpu))} s, median ${fmt(median(cpu))} s${ratio}`,
      );
      result.sides[name] = {
        wallBest: best,
        wallMedian: median(wall),
        cpuBest: Math.min(...cpu),
        cpuMedian: median(cpu),
      };
    }
    result.ratio = result.sides.vigil.wallBest / bestCat;
    if (same !== undefined) {
      log(`  JSON output ${same ? "identical to the baseline's" : "DIFFERS from the baseline's"}`);
      result.sameOutput = same;
      if (!same) process.exitCode = 1;
    }
    return result;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runWorktreeBench(worktreeOptions(process.argv.slice(2)));
