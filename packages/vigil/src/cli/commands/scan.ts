import { existsSync, lstatSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import ignore from "ignore";
import picomatch from "picomatch";
import { loadConfig, parseSize, type VigilConfig } from "../../config/config.js";
import { VigilError } from "../../errors.js";
import { formatFindings, OUTPUT_FORMATS, type OutputFormat } from "../../output/format-findings.js";
import { scanFiles } from "../../scan/file-scanner.js";
import { matcherSettingsFromConfig, type MatcherSettings } from "../../scan/matcher-settings.js";
import type { ContentLimits } from "../../scan/scan-content.js";
import { VIGIL_IGNORE_FILE, walkFiles, type WalkedFile } from "../../sources/file-walker.js";
import { needsRawPath } from "../../sources/path-bytes.js";
import {
  listUncommittedFiles,
  openGitRepository,
  resolveCommit,
  type GitRepository,
} from "../../sources/git/git-repository.js";
import {
  scanHistory as scanGitHistory,
  type HistoryScanOptions,
  type HistoryScanResult,
} from "../../sources/git/history-scanner.js";
import { HistoryWalkError } from "../../sources/git/recovery-walk.js";
import { loadScanState, saveScanState } from "../../sources/git/scan-state.js";
import { scanStagedBlobs } from "../../sources/git/staged-scanner.js";
import { emptyStats, type ReportedFinding, type ScanStats } from "../../sources/types.js";
import { VIGIL_VERSION } from "../../version.js";
import { createProgressBar } from "../progress.js";
import { formatSummary } from "../summary.js";

export interface ScanCommandOptions {
  config?: string;
  format: string;
  output?: string;
  showSecrets?: boolean;
  gitignore: boolean;
  maxFileSize?: string;
  scanBinaries?: boolean;
  generic: boolean;
  threads?: string;
  progress: boolean;
  exitCode: string;
  /** false with --no-history: scan a repository's files only. */
  history: boolean;
  since?: string;
  full?: boolean;
  staged?: boolean;
  range?: string;
}

export function registerScanCommand(program: Command): void {
  program
    .command("scan")
    .description("Scan files, directories and git history for secrets (use - for standard input)")
    .argument("[paths...]", "files, directories or git repositories to scan", ["."])
    .option("-c, --config <file>", "config file (default: vigil.config.yaml in the current or scanned directory)")
    .option("-f, --format <format>", `output format: ${OUTPUT_FORMATS.join(", ")}`, "table")
    .option("-o, --output <file>", "write findings to a file instead of standard output")
    .option("--show-secrets", "print secrets in full instead of masked")
    .option("--no-gitignore", "scan files that .gitignore excludes")
    .option("--max-file-size <size>", "skip files larger than this (bytes, or e.g. 10MB)")
    .option("--scan-binaries", "scan binary files too")
    .option("--no-generic", "leave out non-provider patterns (private keys, connection strings, auth headers)")
    .option("--threads <n>", "worker threads (default: one per core; 0 scans on the main thread)")
    .option("--no-progress", "no progress bar")
    .option("--exit-code <n>", "exit status when secrets are found", "1")
    .option("--no-history", "in a git repository, scan the files only, not the history")
    .option("--since <rev>", "scan only the history after this commit (commits it does not reach)")
    .option("--full", "scan the whole history again, ignoring what earlier scans remembered")
    .option("--staged", "scan what is about to be committed (the staged changes)")
    .option(
      "--range <range>",
      "scan the commits of a range, A..B; a single commit: the commits it reaches that no remote-tracking branch does",
    )
    .addHelpText(
      "after",
      `
A path that is a git repository (the top level of a work tree, or a bare repository) is scanned
with its history: every blob of every commit of every ref, once, plus the work tree's uncommitted
files. A second scan reads only the commits added since (state in <git-dir>/vigil/scan-state.json).

Exit status: 0 no secrets found, 1 secrets found (see --exit-code), 2 usage, config or runtime error.

Examples:
  vigil scan                          scan the current directory (with its git history)
  vigil scan --no-history             the files only
  vigil scan --staged                 what is about to be committed (pre-commit)
  vigil scan --range origin/main..HEAD  the commits of a pull request (CI)
  vigil scan src config.env           scan some paths
  cat deploy.log | vigil scan -       scan standard input
  vigil scan -f sarif -o vigil.sarif  SARIF for code-scanning viewers`,
    )
    .action(async (paths: string[], options: ScanCommandOptions) => {
      process.exitCode = await runScan(paths, options);
    });
}

export async function runScan(paths: string[], options: ScanCommandOptions): Promise<number> {
  const format = parseFormat(options.format);
  const exitOnFindings = parseInteger(options.exitCode, "--exit-code", 0, 255);
  const threads = options.threads === undefined ? undefined : parseInteger(options.threads, "--threads", 0, 256);
  for (const path of paths) if (path !== "-") checkScanPath(path);
  checkGitFlags(paths, options);
  const firstDir = paths
    .map((p) => resolve(p))
    .find((p) => p !== resolve("-") && existsSync(p) && statSync(p).isDirectory());
  const { config } = loadConfig(options.config, [process.cwd(), ...(firstDir ? [firstDir] : [])]);
  applyFlags(config, options);

  const started = performance.now();
  const settings = matcherSettingsFromConfig(config);
  const limits: ContentLimits = { maxFileSize: config.limits.max_file_size, scanBinaries: config.limits.scan_binaries };
  const scope: ScanScope = { config, settings, limits, threads, options };

  if (options.staged || options.range !== undefined) {
    const repo = openGitRepository(paths[0] ?? ".", process.env, { discover: true });
    if (!repo)
      throw new VigilError(
        "ERR_SCAN_NOT_A_REPOSITORY",
        `${options.staged ? "--staged" : "--range"}: ${paths[0] ?? "."} is not in a git repository`,
      );
    const result = options.staged ? await scanStaged(repo, scope) : await scanRange(repo, options.range!, scope);
    result.stats.durationMs = performance.now() - started;
    writeReport(result.findings, result.stats, format, options);
    return result.findings.length > 0 ? exitOnFindings : 0;
  }

  const files: WalkedFile[] = [];
  const findings: ReportedFinding[] = [];
  const stats = emptyStats();
  let stdin: WalkedFile | undefined;
  const roots: string[] = [];
  for (const path of paths) {
    if (path === "-") {
      stdin = { path: "-", absolutePath: "-", size: 0 };
      continue;
    }
    const repo = options.history && statSync(path).isDirectory() ? openGitRepository(path, process.env) : undefined;
    if (!repo) {
      roots.push(resolve(path));
      continue;
    }
    const history = await scanRepositoryHistory(repo, scope);
    appendAll(findings, history.findings);
    mergeStats(stats, history.stats);
    if (repo.workTree) {
      try {
        const uncommitted = await uncommittedFiles(repo, scope);
        appendAll(files, uncommitted.files);
        stats.skippedAllowlisted += uncommitted.skippedAllowlisted;
      } catch (error) {
        // A damaged HEAD or index: the history was scanned (with its own warnings); say what was not.
        stats.unreadable++;
        stats.warnings.push(
          `${repo.workTree}: uncommitted files not scanned (${error instanceof Error ? error.message : String(error)})`,
        );
      }
    }
  }
  if (roots.length > 0) {
    const walked = walkFiles(roots, { gitignore: options.gitignore, allowlistPaths: config.allowlist.paths });
    appendAll(files, walked.files);
    stats.skippedAllowlisted += walked.skippedAllowlisted;
    stats.unreadable += walked.unreadable.length;
    for (const p of walked.unreadable) stats.warnings.push(`${p}: could not be read`);
    stats.unreadable += walked.special.length;
    for (const { path, kind } of walked.special) stats.warnings.push(`${path}: not a regular file (${kind}), skipped`);
  }
  if (stdin) files.push(stdin);

  const historyScanned = stats.extra !== undefined;
  if (files.length > 0 || !historyScanned) {
    const bar = createProgressBar(files.length, "files", options.progress);
    const filesStarted = performance.now();
    const result = await scanFiles(files, {
      settings,
      limits,
      ...(threads !== undefined ? { threads } : stdin ? { threads: 0 } : {}),
      onProgress: (p) => {
        const seconds = (performance.now() - filesStarted) / 1000;
        bar.update(p.filesDone, {
          mbps: (p.bytesDone / 1e6 / Math.max(seconds, 0.001)).toFixed(1),
          findings: p.findings,
        });
      },
    });
    bar.stop();
    appendAll(findings, result.findings);
    if (historyScanned) {
      const extra = stats.extra!;
      mergeStats(stats, result.stats);
      stats.extra = { ...extra, files: result.stats.filesScanned };
    } else {
      mergeStats(stats, result.stats);
    }
  }
  stats.durationMs = performance.now() - started;
  writeReport(findings, stats, format, options);
  return findings.length > 0 ? exitOnFindings : 0;
}

/** A path to scan must exist and be reachable; a symbolic link loop or a dangling link says what it is, not "path not found". */
function checkScanPath(path: string): void {
  try {
    lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR")
      throw new VigilError("ERR_SCAN_PATH_NOT_FOUND", `path not found: ${path}`);
    throw new VigilError("ERR_SCAN_PATH_UNUSABLE", `${path}: cannot be scanned (${code ?? "error"})`);
  }
  try {
    statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP")
      throw new VigilError(
        "ERR_SCAN_PATH_UNUSABLE",
        `${path}: a symbolic link loop (it leads back to itself), nothing to scan`,
      );
    if (code === "ENOENT" || code === "ENOTDIR") {
      let target = "";
      try {
        target = ` to ${readlinkSync(path)}`;
      } catch {
        target = "";
      }
      throw new VigilError("ERR_SCAN_PATH_UNUSABLE", `${path}: a symbolic link${target} whose target does not exist`);
    }
    throw new VigilError("ERR_SCAN_PATH_UNUSABLE", `${path}: cannot be scanned (${code ?? "error"})`);
  }
}

interface ScanScope {
  config: VigilConfig;
  settings: MatcherSettings;
  limits: ContentLimits;
  threads: number | undefined;
  options: ScanCommandOptions;
}

function checkGitFlags(paths: string[], options: ScanCommandOptions): void {
  const modes = [
    options.staged ? "--staged" : undefined,
    options.range !== undefined ? "--range" : undefined,
    options.since !== undefined ? "--since" : undefined,
  ].filter((m) => m !== undefined);
  if (modes.length > 1) throw new VigilError("ERR_CLI_USAGE", `${modes.join(" and ")} cannot be used together`);
  if (!options.history && (modes.length > 0 || options.full)) {
    throw new VigilError("ERR_CLI_USAGE", `--no-history cannot be used with ${modes[0] ?? "--full"}`);
  }
  if ((options.staged || options.range !== undefined) && (paths.length > 1 || paths[0] === "-")) {
    throw new VigilError("ERR_CLI_USAGE", `${modes[0]} scans one repository: give at most one path`);
  }
  for (const [flag, value] of [
    ["--range", options.range],
    ["--since", options.since],
  ] as const) {
    if (value !== undefined && (value === "" || value.startsWith("-") || /[\s]/.test(value))) {
      throw new VigilError("ERR_CLI_USAGE", `${flag}: "${value}" is not a revision`);
    }
  }
}

/** Paths (relative to the top level) that history and staged scans leave out: allowlist globs and the top-level .vigilignore. */
function pathFilter(repo: GitRepository, config: VigilConfig): { skip: (path: string) => boolean; key: string } {
  const allow = config.allowlist.paths.length > 0 ? picomatch(config.allowlist.paths, { dot: true }) : undefined;
  let ignoreText = "";
  if (repo.workTree) {
    try {
      ignoreText = readFileSync(join(repo.workTree, VIGIL_IGNORE_FILE), "utf8");
    } catch {
      ignoreText = "";
    }
  }
  const rules = ignoreText ? ignore().add(ignoreText) : undefined;
  return {
    skip: (path) => (allow?.(path) ?? false) || (rules?.ignores(path) ?? false),
    key: JSON.stringify({ allow: config.allowlist.paths, ignore: ignoreText }),
  };
}

function historyBase(repo: GitRepository, scope: ScanScope): HistoryScanOptions {
  const filter = pathFilter(repo, scope.config);
  return {
    settings: scope.settings,
    limits: scope.limits,
    ...(scope.threads !== undefined ? { threads: scope.threads } : {}),
    skipPath: filter.skip,
    scopeKey: filter.key,
  };
}

/** A repository's whole history (every ref), incremental through the state file unless --full or --since. */
async function scanRepositoryHistory(
  repo: GitRepository,
  scope: ScanScope,
): Promise<{ findings: ReportedFinding[]; stats: ScanStats }> {
  const { options } = scope;
  let exclude: string[] | undefined;
  if (options.since !== undefined) {
    const commit = await resolveCommit(repo, options.since);
    if (!commit)
      throw new VigilError("ERR_SCAN_GIT_REVISION", `--since: "${options.since}" names no commit in ${repo.cwd}`);
    exclude = [commit];
  }
  const tracked = exclude === undefined;
  const previous = tracked && !options.full ? loadScanState(repo.gitDir) : undefined;
  const bar = createProgressBar(0, "blobs", options.progress);
  const started = performance.now();
  const result = await scanHistory(repo, {
    ...historyBase(repo, scope),
    ...(exclude ? { exclude } : {}),
    ...(previous ? { previous } : {}),
    trackState: tracked,
    onProgress: (p) => {
      const seconds = (performance.now() - started) / 1000;
      bar.update(
        p.blobsDone,
        { mbps: (p.bytesDone / 1e6 / Math.max(seconds, 0.001)).toFixed(1), findings: p.findings },
        p.blobsTotal,
      );
    },
  });
  bar.stop();
  if (result.state) {
    const failure = saveScanState(repo.gitDir, result.state);
    if (failure)
      result.stats.warnings.push(
        `could not save the scan state in ${repo.gitDir} (${failure}): the next scan reads the whole history again`,
      );
  }
  return result;
}

/** Uncommitted files of a work tree: changed from HEAD, or untracked and not ignored. */
async function uncommittedFiles(
  repo: GitRepository,
  scope: ScanScope,
): Promise<{ files: WalkedFile[]; skippedAllowlisted: number }> {
  const filter = pathFilter(repo, scope.config);
  const cwd = process.cwd();
  const files: WalkedFile[] = [];
  let skippedAllowlisted = 0;
  for (const { path, raw } of await listUncommittedFiles(repo, { includeIgnored: !scope.options.gitignore })) {
    if (filter.skip(path)) {
      skippedAllowlisted++;
      continue;
    }
    const absolutePath = join(repo.workTree!, path);
    // A name that is not UTF-8 is read by its bytes.
    const rawPath = needsRawPath(raw) ? Buffer.concat([Buffer.from(repo.workTree! + sep), raw]) : undefined;
    let stat;
    try {
      stat = lstatSync(rawPath ?? absolutePath);
    } catch {
      continue;
    }
    if (!stat.isFile()) continue;
    const rel = relative(cwd, absolutePath);
    files.push({
      path: rel.startsWith("..") || rel === "" ? absolutePath : rel,
      absolutePath,
      size: stat.size,
      ...(rawPath ? { rawPath } : {}),
    });
  }
  return { files, skippedAllowlisted };
}

async function scanStaged(
  repo: GitRepository,
  scope: ScanScope,
): Promise<{ findings: ReportedFinding[]; stats: ScanStats }> {
  const filter = pathFilter(repo, scope.config);
  return scanStagedBlobs(repo, {
    settings: scope.settings,
    limits: scope.limits,
    ...(scope.threads !== undefined ? { threads: scope.threads } : {}),
    skipPath: filter.skip,
  });
}

/** `A..B` (or `A...B`): those commits; a single revision: the commits it reaches that no remote-tracking ref reaches. */
async function scanRange(
  repo: GitRepository,
  range: string,
  scope: ScanScope,
): Promise<{ findings: ReportedFinding[]; stats: ScanStats }> {
  const ends = range.includes("..") ? range.split(/\.{2,3}/) : [range];
  for (const end of ends) {
    if (end !== "" && !(await resolveCommit(repo, end)))
      throw new VigilError("ERR_SCAN_GIT_REVISION", `--range: "${end}" names no commit in ${repo.cwd}`);
  }
  const revisions = ends.length > 1 ? [range] : [(await resolveCommit(repo, range))!, "--not", "--remotes"];
  const bar = createProgressBar(0, "blobs", scope.options.progress);
  const result = await scanHistory(repo, {
    ...historyBase(repo, scope),
    revisions,
    onProgress: (p) => bar.update(p.blobsDone, { mbps: "-", findings: p.findings }, p.blobsTotal),
  });
  bar.stop();
  return result;
}

/** The history scan; a history that cannot be walked at all is an error (exit 2), never "no secrets found". */
async function scanHistory(repo: GitRepository, options: HistoryScanOptions): Promise<HistoryScanResult> {
  try {
    return await scanGitHistory(repo, options);
  } catch (error) {
    if (error instanceof HistoryWalkError)
      throw new VigilError("ERR_SCAN_GIT_HISTORY", `cannot walk the history of ${repo.cwd}: ${error.reason}`);
    throw error;
  }
}

/** Appends every item, however many (`push(...items)` overflows the stack past ~120,000 arguments). */
function appendAll<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}

/** Adds `from` into `into`: counts summed, warnings appended, extra counters summed by name. */
function mergeStats(into: ScanStats, from: ScanStats): void {
  into.filesScanned += from.filesScanned;
  into.bytesScanned += from.bytesScanned;
  into.skippedBinary += from.skippedBinary;
  into.skippedTooLarge += from.skippedTooLarge;
  into.skippedLfs += from.skippedLfs;
  into.skippedAllowlisted += from.skippedAllowlisted;
  into.unreadable += from.unreadable;
  appendAll(into.warnings, from.warnings);
  if (from.extra) {
    into.extra ??= {};
    for (const [key, value] of Object.entries(from.extra)) into.extra[key] = (into.extra[key] ?? 0) + value;
  }
}

/** Writes findings (stdout or --output) and the summary (stderr). */
export function writeReport(
  findings: ReportedFinding[],
  stats: ScanStats,
  format: OutputFormat,
  options: Pick<ScanCommandOptions, "output" | "showSecrets">,
): void {
  const toFile = options.output !== undefined;
  const text = formatFindings(findings, {
    format,
    showSecrets: options.showSecrets === true,
    toolVersion: VIGIL_VERSION,
    color: !toFile && format === "table" && process.stdout.isTTY === true && !process.env["NO_COLOR"],
    stats,
  });
  if (toFile) {
    try {
      writeFileSync(options.output!, text);
    } catch (error) {
      throw new VigilError(
        "ERR_SCAN_OUTPUT",
        `cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
  } else {
    process.stdout.write(text);
  }
  process.stderr.write(formatSummary(findings.length, stats) + "\n");
}

function applyFlags(config: VigilConfig, options: ScanCommandOptions): void {
  if (options.maxFileSize !== undefined) {
    const size = parseSize(options.maxFileSize);
    if (size === undefined)
      throw new VigilError(
        "ERR_CLI_USAGE",
        `--max-file-size: "${options.maxFileSize}" is not a size (use bytes or e.g. 10MB)`,
      );
    config.limits.max_file_size = size;
  }
  if (options.scanBinaries) config.limits.scan_binaries = true;
  if (!options.generic) config.patterns.generic = false;
}

export function parseFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new VigilError("ERR_CLI_USAGE", `--format: "${value}" is not one of ${OUTPUT_FORMATS.join(", ")}`);
}

export function parseInteger(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new VigilError("ERR_CLI_USAGE", `${flag}: "${value}" must be a whole number from ${min} to ${max}`);
  return n;
}
