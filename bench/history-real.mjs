// Full history of a real repository: `vigil scan --full` against `git cat-file --batch-all-objects
// --batch --unordered` (git's own read of every object), measured in the same run, with peak memory
// and CPU time of each. The findings must equal a stored result of the plain scan (blobs read
// through `git cat-file`, VIGIL_READ_PACKS=0): made on the first run, compared on every later one.
// Speed is reported, never asserted.
//
//   git clone --mirror https://github.com/webpack/webpack bench/.work/webpack.git
//   npm run bench -- history-real --repo bench/.work/webpack.git [--runs N] [--reference FILE]
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "packages/vigil/bin/vigil.js");
const WORK = join(ROOT, "bench", ".work");
const TIME = "/usr/bin/time";
const fmt = (n, d = 1) => n.toFixed(d);

/** Runs a command under /usr/bin/time: wall ms, CPU seconds (user + system, children included), peak RSS of the largest process. */
async function measure(command, args, { env = process.env, stdout = "ignore" } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "vigil-bench-time-"));
  const timeFile = join(dir, "time");
  const start = performance.now();
  const child = spawn(TIME, ["-f", "%U %S %M", "-o", timeFile, command, ...args], {
    env,
    stdio: ["ignore", stdout, "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const status = await new Promise((done, fail) => {
    child.on("error", fail);
    child.on("close", done);
  });
  const ms = performance.now() - start;
  const [user, sys, peakKiB] = readFileSync(timeFile, "utf8").trim().split("\n").pop().split(" ").map(Number);
  rmSync(dir, { recursive: true, force: true });
  return { ms, cpuS: user + sys, peakMB: (peakKiB * 1024) / 1e6, status, stderr };
}

/** A finding's identity for comparison: the secret (by fingerprint) at its commit, blob, path and place. */
const key = (f) =>
  [
    f.secret_type,
    f.fingerprint,
    f.commit_sha,
    f.blob_sha,
    f.path,
    f.start_line,
    f.start_column,
    f.end_line,
    f.end_column,
  ].join(" ");

export function compareFindings(reference, current) {
  const a = reference.map(key).sort();
  const b = current.map(key).sort();
  const inB = new Set(b);
  const inA = new Set(a);
  return {
    missing: a.filter((k) => !inB.has(k)),
    extra: b.filter((k) => !inA.has(k)),
    reference: a.length,
    current: b.length,
  };
}

async function scan(repo, out, env = process.env) {
  const result = await measure(
    process.execPath,
    [CLI, "scan", repo, "--full", "--format", "json", "--output", out, "--no-progress"],
    {
      env,
    },
  );
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`vigil scan exited ${result.status}: ${result.stderr}`);
  return result;
}

export async function runHistoryRealBench({ repo, runs = 1, reference, log = console.log }) {
  if (!existsSync(repo)) throw new Error(`--repo: ${repo} does not exist (clone it first: see docs/benchmarks.md)`);
  mkdirSync(WORK, { recursive: true });
  const name = basename(repo).replace(/\.git$/, "");
  const referenceFile = reference ?? join(WORK, `${name}.reference.json`);
  const out = join(WORK, `${name}.history-real.json`);
  log(
    `history-real: ${repo}, ${runs} run${runs === 1 ? "" : "s"}, load average ${loadavg()
      .map((l) => fmt(l, 2))
      .join(" ")}`,
  );
  if (!existsSync(referenceFile)) {
    log(`  no stored result: making it with the plain scan (blobs read through git cat-file) into ${referenceFile}`);
    const plain = await scan(repo, referenceFile, { ...process.env, VIGIL_READ_PACKS: "0" });
    log(
      `  plain scan        ${fmt(plain.ms / 1000, 2).padStart(7)} s  cpu ${fmt(plain.cpuS, 1)} s  peak ${fmt(plain.peakMB, 0)} MB`,
    );
  }
  const catFile = () => measure("git", ["-C", repo, "cat-file", "--batch-all-objects", "--batch", "--unordered"]);
  await catFile(); // warm the page cache for both
  let git;
  let vigil;
  // Interleaved, so that both see the same load; the best of each.
  for (let i = 0; i < runs; i++) {
    const g = await catFile();
    if (g.status !== 0) throw new Error(`git cat-file exited ${g.status}: ${g.stderr}`);
    if (!git || g.ms < git.ms) git = g;
    const v = await scan(repo, out);
    if (!vigil || v.ms < vigil.ms) vigil = v;
  }
  const diff = compareFindings(JSON.parse(readFileSync(referenceFile, "utf8")), JSON.parse(readFileSync(out, "utf8")));
  const same = diff.missing.length === 0 && diff.extra.length === 0;
  const ratio = vigil.ms / git.ms;
  log(
    `  git cat-file      ${fmt(git.ms / 1000, 2).padStart(7)} s  cpu ${fmt(git.cpuS, 1)} s  peak ${fmt(git.peakMB, 0)} MB`,
  );
  log(
    `  vigil scan --full ${fmt(vigil.ms / 1000, 2).padStart(7)} s  cpu ${fmt(vigil.cpuS, 1)} s  peak ${fmt(vigil.peakMB, 0)} MB  = ${fmt(ratio, 2)}x git cat-file`,
  );
  log(
    `  findings: ${diff.current} (stored plain scan: ${diff.reference}) ${same ? "same secrets, commits and paths" : `DIFFER: ${diff.missing.length} missing, ${diff.extra.length} extra`}`,
  );
  for (const k of [
    ...diff.missing.slice(0, 5).map((k) => `missing ${k}`),
    ...diff.extra.slice(0, 5).map((k) => `extra ${k}`),
  ])
    log(`    ${k}`);
  if (!same) process.exitCode = 1;
  return {
    repo: name,
    gitMs: git.ms,
    gitCpuS: git.cpuS,
    gitPeakMB: git.peakMB,
    vigilMs: vigil.ms,
    vigilCpuS: vigil.cpuS,
    vigilPeakMB: vigil.peakMB,
    ratio,
    findings: diff.current,
    sameFindings: same,
    loadAverage: loadavg()[0],
  };
}

export function historyRealOptions(argv) {
  const at = argv.indexOf("--repo");
  const repo = at >= 0 ? argv[at + 1] : undefined;
  if (!repo) throw new Error("history-real needs --repo <path to a clone> (see docs/benchmarks.md)");
  const runsAt = argv.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 1;
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs: ${argv[runsAt + 1]} is not a whole number of at least 1`);
  const refAt = argv.indexOf("--reference");
  return { repo: resolve(repo), runs, ...(refAt >= 0 ? { reference: resolve(argv[refAt + 1]) } : {}) };
}
