// History benchmark: `vigil scan --full` over a long generated history (bench/history/make-repo.mjs),
// against `git cat-file --batch-all-objects --batch` (reading every object once) measured in the
// same run. Also: peak RSS, planted secrets found, the incremental rescan after one new commit, and
// `git log -p --all` for reference. Speed is reported, never asserted.
//
//   node bench/history.mjs [--commits N] [--runs N]     (or VIGIL_BENCH_COMMITS=N; default 20,000)
//   npm run bench -- history --commits 2000
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { clearInterval, setInterval } from "node:timers";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ExampleRandom } from "../packages/engine/dist/index.js";
import { makeHistoryRepo, ROOT } from "./history/make-repo.mjs";

const CLI = join(ROOT, "packages/vigil/bin/vigil.js");
const WORK = join(ROOT, "bench", ".work");
const TIME = "/usr/bin/time";

const fmt = (n, d = 1) => n.toFixed(d);

/** Runs a command to completion; wall time, exit status and (for `rss`) the child's peak RSS in KiB. */
async function measure(command, args, { cwd, rss = false, stdout = "ignore" } = {}) {
  let file = command;
  let argv = args;
  let rssFile;
  if (rss && existsSync(TIME)) {
    rssFile = join(mkdtempSync(join(tmpdir(), "vigil-bench-rss-")), "maxrss");
    file = TIME;
    argv = ["-f", "%M", "-o", rssFile, command, ...args];
  }
  const start = performance.now();
  const child = spawn(file, argv, { cwd, stdio: ["ignore", stdout, "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  // Without /usr/bin/time: poll the child's high-water mark while it runs.
  let polledKiB = 0;
  const poll =
    rss && !rssFile
      ? setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
            if (m) polledKiB = Math.max(polledKiB, Number(m[1]));
          } catch {
            // exited between polls
          }
        }, 20)
      : undefined;
  const status = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  const ms = performance.now() - start;
  if (poll) clearInterval(poll);
  let peakKiB = polledKiB;
  if (rssFile) {
    peakKiB = Number(readFileSync(rssFile, "utf8").trim().split("\n").pop());
    rmSync(join(rssFile, ".."), { recursive: true, force: true });
  }
  return { ms, status, stderr, peakKiB };
}

async function best(runs, fn) {
  let min;
  for (let i = 0; i < runs; i++) {
    const r = await fn();
    if (!min || r.ms < min.ms) min = r;
  }
  return min;
}

/** Adds one commit to `main` of the bare repository: a new config file with one synthesised token. */
function addOneCommit(dir, seed) {
  const token = new ExampleRandom(seed).githubToken("ghp");
  const content = `# added after the first scan\nGITHUB_TOKEN=${token}\n`;
  const msg = "Add CI settings\n";
  const stream =
    `commit refs/heads/main\ncommitter Bench <bench@example.com> 1900000000 +0000\ndata ${msg.length}\n${msg}` +
    `from refs/heads/main^0\nM 100644 inline config/ci-incremental.env\ndata ${Buffer.byteLength(content)}\n${content}\n\n`;
  execFileSync("git", ["fast-import", "--quiet"], { cwd: dir, input: stream });
  return execFileSync("git", ["rev-parse", "refs/heads/main"], { cwd: dir, encoding: "utf8" }).trim();
}

function readFindings(path) {
  const text = readFileSync(path, "utf8").trim();
  return text ? JSON.parse(text) : [];
}

export async function runHistoryBench({ commits = 20_000, seed = 4242, runs = 1, log = console.log } = {}) {
  mkdirSync(WORK, { recursive: true });
  const loadBefore = loadavg()[0];
  const { dir: cached, manifest } = await makeHistoryRepo({ commits, seed, log: (m) => log(`  ${m}`) });
  // Scan a mirror (objects hard-linked), so the cached repository never gets Vigil's state or new
  // commits; in a directory of this run's own, as other runs may share the working tree.
  const runDir = mkdtempSync(join(WORK, "history-"));
  try {
    return await measureAll({ cached, manifest, runDir, seed, runs, log, loadBefore });
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

async function measureAll({ cached, manifest, runDir, seed, runs, log, loadBefore }) {
  const repo = join(runDir, "repo.git");
  execFileSync("git", ["clone", "--mirror", "-q", cached, repo]);
  log(
    `history: ${manifest.commits} commits (${manifest.merges} merges), ${manifest.refs} refs, ` +
      `${manifest.objects.blob} blobs = ${fmt(manifest.blobBytes / 1e6)} MB (pack ${fmt(manifest.packBytes / 1e6)} MB), ` +
      `${manifest.planted.length} planted secrets`,
  );

  const catFile = () => measure("sh", ["-c", "git cat-file --batch-all-objects --batch > /dev/null"], { cwd: repo });
  await catFile(); // warm the page cache for every measurement
  const baseline = await best(3, catFile);
  if (baseline.status !== 0) throw new Error(`git cat-file failed: ${baseline.stderr}`);
  log(`  git cat-file --batch-all-objects --batch   ${fmt(baseline.ms, 0).padStart(7)} ms  (baseline, best of 3)`);

  const out = join(runDir, "findings.json");
  const vigilArgs = (full) => [
    CLI,
    "scan",
    ...(full ? ["--full"] : []),
    "--format",
    "json",
    "--output",
    out,
    "--no-progress",
  ];
  const full = await best(runs, () => measure(process.execPath, vigilArgs(true), { cwd: repo, rss: true }));
  if (full.status !== 0 && full.status !== 1)
    throw new Error(`vigil scan --full exited ${full.status}: ${full.stderr.trim()}`);
  const findings = readFindings(out);
  const missed = manifest.planted.filter(
    (p) =>
      !findings.some(
        (f) =>
          f.secret_type === p.type &&
          f.start_line === p.line &&
          (f.blob_sha === p.blob || (f.commit_sha === p.commit && f.path === p.path)),
      ),
  );
  const ratio = full.ms / baseline.ms;
  log(
    `  vigil scan --full                          ${fmt(full.ms, 0).padStart(7)} ms  = ${fmt(ratio, 2)}x baseline${runs > 1 ? ` (best of ${runs})` : ""}`,
  );
  log(`  vigil peak RSS                             ${fmt(full.peakKiB / 1024, 0).padStart(7)} MB`);
  log(
    `  planted secrets found: ${manifest.planted.length - missed.length}/${manifest.planted.length}; findings in total: ${findings.length}`,
  );
  for (const m of missed) log(`  MISSED ${m.type} at ${m.path}:${m.line} (blob ${m.blob.slice(0, 12)}, ${m.ref})`);
  const summary = full.stderr.trim().split("\n").pop();
  if (summary) log(`  (${summary})`);

  const newCommit = addOneCommit(repo, seed + 7);
  const incremental = await measure(process.execPath, vigilArgs(false), { cwd: repo, rss: true });
  if (incremental.status !== 0 && incremental.status !== 1)
    throw new Error(`vigil scan (incremental) exited ${incremental.status}: ${incremental.stderr.trim()}`);
  const incFindings = readFindings(out);
  const newFound = incFindings.some(
    (f) => f.commit_sha === newCommit && f.secret_type === "github_personal_access_token",
  );
  log(
    `  incremental rescan after 1 new commit      ${fmt(incremental.ms, 0).padStart(7)} ms  ` +
      `(${incFindings.length} findings reported; the new commit's secret ${newFound ? "found" : "NOT FOUND"})`,
  );

  const gitLog = await measure("sh", ["-c", "git log -p --all > /dev/null"], { cwd: repo });
  log(
    `  git log -p --all (reference)               ${fmt(gitLog.ms, 0).padStart(7)} ms  = ${fmt(gitLog.ms / baseline.ms, 2)}x baseline`,
  );
  const loadAfter = loadavg()[0];
  log(`  load average (1 min) before/after: ${fmt(loadBefore, 2)} / ${fmt(loadAfter, 2)}`);

  if (missed.length > 0 || !newFound) process.exitCode = 1;
  return {
    repository: manifest.name,
    commits: manifest.commits,
    merges: manifest.merges,
    refs: manifest.refs,
    blobs: manifest.objects.blob,
    blobBytes: manifest.blobBytes,
    packBytes: manifest.packBytes,
    catFileMs: baseline.ms,
    vigilFullMs: full.ms,
    ratio,
    vigilPeakRssMB: full.peakKiB / 1024,
    planted: manifest.planted.length,
    missed: missed.length,
    findings: findings.length,
    incrementalMs: incremental.ms,
    incrementalFindings: incFindings.length,
    incrementalNewSecretFound: newFound,
    gitLogPatchMs: gitLog.ms,
    loadAverage: [loadBefore, loadAfter],
  };
}

/** `--commits N` / `--runs N` from argv, else VIGIL_BENCH_COMMITS, else the defaults. */
export function historyOptions(argv) {
  const value = (name) => {
    const at = argv.indexOf(name);
    return at >= 0 && argv[at + 1] !== undefined ? Number(argv[at + 1]) : undefined;
  };
  const commits =
    value("--commits") ?? (process.env.VIGIL_BENCH_COMMITS ? Number(process.env.VIGIL_BENCH_COMMITS) : 20_000);
  const runs = value("--runs") ?? 1;
  if (!Number.isInteger(commits) || commits < 100)
    throw new Error(`--commits: ${commits} is not a whole number of at least 100`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: ${runs} is not a whole number of at least 1`);
  return { commits, runs };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = await runHistoryBench(historyOptions(process.argv.slice(2)));
  mkdirSync(WORK, { recursive: true });
  writeFileSync(
    join(WORK, "history-results.json"),
    JSON.stringify({ date: new Date().toISOString(), node: process.version, history: results }, null, 2),
  );
}
