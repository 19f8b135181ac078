import { lstatSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import ignore from "ignore";
import picomatch from "picomatch";
import type { LoadedConfig, VigilConfig } from "../../config/config.js";
import { configSearchDirs, findConfigFile, parseSize } from "../../config/config-file.js";
import { defaultConfig } from "../../config/default-config.js";
import { VigilError } from "../../errors.js";
import { appendExplained, EXPLAIN_FORMATS } from "../../output/format-explained.js";
import { formatFindings, OUTPUT_FORMATS, type OutputFormat } from "../../output/format-findings.js";
import { countResults, groupBySecret } from "../../output/secret-results.js";
import { scanFileChunks, scanFiles } from "../../scan/file-scanner.js";
import { matcherSettingsFromConfig, type MatcherSettings } from "../../scan/matcher-settings.js";
import type { ContentLimits } from "../../scan/scan-content.js";
import { VIGIL_IGNORE_FILE, walkFileChunks, type WalkedFile, type WalkTally } from "../../sources/file-walker.js";
import { needsRawPath } from "../../sources/path-bytes.js";
import {
  listUncommittedFiles,
  openGitRepository,
  resolveCommit,
  type GitRepository,
} from "../../sources/git/git-repository.js";
import {
  scanHistory as scanGitHistory,
  type HistoryProgress,
  type HistoryScanOptions,
  type HistoryScanResult,
} from "../../sources/git/history-scanner.js";
import { HistoryWalkError } from "../../sources/git/recovery-walk.js";
import { loadScanState, saveScanState } from "../../sources/git/scan-state.js";
import { scanStagedBlobs } from "../../sources/git/staged-scanner.js";
import { emptyStats, type ReportedExplained, type ReportedFinding, type ScanStats } from "../../sources/types.js";
import { VIGIL_VERSION } from "../../version.js";
import { readBaseline, suppressKnown, writeBaseline } from "../baseline.js";
import { createProgressBar, progressShown, type ProgressBar } from "../progress.js";
import { countOf, formatSummary, type SummaryContext } from "../summary.js";

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
  baseline?: string;
  baselineOut?: string;
  block?: string;
  /** Ask each secret's issuer whether it is still active (sends the secret to its issuer only). */
  validate?: boolean;
  /** Also list what patterns matched but did not report, and why (files and standard input). */
  explain?: boolean;
}

/** What fails a run: every finding, or only what push protection blocks (the hooks' default). */
export const BLOCK_POLICIES = ["push-protection", "all"] as const;
export type BlockPolicy = (typeof BLOCK_POLICIES)[number];

export function registerScanCommand(program: Command): void {
  program
    .command("scan")
    .description("Scan files, directories and git history for secrets (use - for standard input)")
    .argument("[paths...]", "files, directories or git repositories to scan", ["."])
    .option(
      "-c, --config <file>",
      "config file (default: the scanned directory's vigil.config.yaml, or its repository's)",
    )
    .option("-f, --format <format>", `output format: ${OUTPUT_FORMATS.join(", ")}`, "table")
    .option("-o, --output <file>", "write findings to a file instead of standard output")
    .option("--show-secrets", "print secrets in full instead of masked")
    .option("--no-gitignore", "scan files that .gitignore excludes")
    .option("--max-file-size <size>", "skip files larger than this (bytes, or e.g. 10MB)")
    .option("--scan-binaries", "scan binary files too")
    .option("--no-generic", "leave out non-provider patterns (private keys, connection strings, auth headers)")
    .option(
      "--threads <n>",
      "worker threads (default: the main thread, and one per other core for large inputs; 0 scans on the main thread)",
    )
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
    .option("--baseline <file>", "report only findings that are not in this baseline (written by --baseline-out)")
    .option(
      "--baseline-out <file>",
      "write the fingerprints of today's findings to a baseline file (exit 0: they are known now)",
    )
    .option(
      "--validate",
      "ask each secret's issuer whether it is still active (sends each secret to its own issuer only)",
    )
    .option(
      "--explain",
      "also list strings that matched a pattern but are not reported, and why (checksum, placeholder, entropy, context, allowlist…)",
    )
    .option(
      "--block <policy>",
      "what fails the run: all, or push-protection (the types push protection blocks; default for --staged and --range)",
    )
    .addHelpText(
      "after",
      `
A path that is a git repository (the top level of a work tree, or a bare repository) is scanned
with its history: every blob of every commit of every ref, once, plus the work tree's uncommitted
files. A second scan reads only the commits added since (state in <git-dir>/vigil/scan-state.json).

Exit status: 0 no secrets found, 1 secrets found (see --exit-code; with --baseline only new ones count,
with --block push-protection only types push protection blocks: the default of --staged and --range),
2 usage, config or runtime error.

Examples:
  vigil scan                          scan the current directory (with its git history)
  vigil scan --no-history             the files only
  vigil scan --staged                 what is about to be committed (pre-commit)
  vigil scan --range origin/main..HEAD  the commits of a pull request (CI)
  vigil scan src config.env           scan some paths
  cat deploy.log | vigil scan -       scan standard input
  vigil scan -f sarif -o vigil.sarif  SARIF for code-scanning viewers
  vigil scan --baseline-out .vigil-baseline.json   record today's findings (adopting Vigil)
  vigil scan --baseline .vigil-baseline.json       report only what is new since
  vigil scan --validate               also report whether each secret is still active
  vigil scan --no-history --explain config.env   why a string in config.env is not reported`,
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
  const block = parseBlock(options.block);
  checkExplain(format, options);
  // The config of what is scanned applies (the first path's: its directory up to its repository's top level), not the current directory's.
  const configRoot = paths[0] === undefined || paths[0] === "-" ? process.cwd() : paths[0];
  const loaded = await loadScanConfig(options.config, configSearchDirs(configRoot));
  const config = loaded.config;
  applyFlags(config, options);
  const notes: string[] = options.config === undefined ? otherConfigs(paths, loaded.path) : [];
  const baseline = options.baseline !== undefined ? readBaseline(options.baseline) : undefined;
  const finish = async (
    found: ReportedFinding[],
    stats: ScanStats,
    explained?: ReportedExplained[],
  ): Promise<number> => {
    stats.warnings.unshift(...notes);
    const policy: BlockPolicy = block ?? (options.staged || options.range !== undefined ? config.hooks.block : "all");
    const allowed = suppressKnown(found, undefined, config.allowlist.fingerprints);
    let written: number | undefined;
    if (options.baselineOut !== undefined) written = writeBaseline(options.baselineOut, allowed.findings);
    const { findings, suppressed } = suppressKnown(allowed.findings, baseline, []);
    suppressed.fingerprints = allowed.suppressed.fingerprints;
    const blocking = policy === "all" ? findings : findings.filter((f) => f.finding.pushProtection);
    if (options.validate) await validateFindings(findings);
    stats.durationMs = performance.now() - started;
    writeReport(findings, stats, format, options, {
      suppressed,
      ...(policy === "all" ? {} : { blocking: groupBySecret(blocking).length }),
      config: loaded.path === undefined ? undefined : displayPath(loaded.path),
      ...(explained ? { explained } : {}),
    });
    if (written !== undefined) {
      process.stderr.write(
        `vigil: baseline written to ${options.baselineOut}: ${countOf(written, "fingerprint")}; scan with --baseline ${options.baselineOut} to report only what is new\n`,
      );
      return 0;
    }
    return blocking.length > 0 ? exitOnFindings : 0;
  };

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
    return finish(result.findings, result.stats);
  }

  if (
    (options.since !== undefined || options.full) &&
    !paths.some((p) => p !== "-" && statSync(p).isDirectory() && openGitRepository(p, process.env))
  ) {
    // --since and --full apply to repositories' history: with none among the paths they would do nothing.
    const flag = options.since !== undefined ? "--since" : "--full";
    const what =
      paths.length === 1
        ? paths[0] === "-"
          ? "standard input has no git history"
          : `${paths[0]} is not a git repository`
        : "none of the paths is a git repository";
    throw new VigilError(
      "ERR_SCAN_NOT_A_REPOSITORY",
      `${flag}: ${what} (give the top level of a work tree, or a bare repository)`,
    );
  }
  const files: WalkedFile[] = [];
  const findings: ReportedFinding[] = [];
  const stats = emptyStats();
  const explained: ReportedExplained[] | undefined = options.explain ? [] : undefined;
  /** With --explain: the files the config's allowlist.paths leaves out (what they hold is listed, not reported). */
  const allowlistedFiles: WalkedFile[] = [];
  let stdin: WalkedFile | undefined;
  const roots: string[] = [];
  for (const path of paths) {
    if (path === "-") {
      stdin = { path: "-", absolutePath: "-" };
      continue;
    }
    const repo = options.history && statSync(path).isDirectory() ? openGitRepository(path, process.env) : undefined;
    if (!repo) {
      roots.push(resolve(path));
      continue;
    }
    if (options.explain)
      stats.warnings.push(
        `--explain lists what is not reported in files and standard input, not in history: to explain ${path}'s files, scan it with --no-history`,
      );
    const history = await scanRepositoryHistory(repo, scope);
    appendAll(findings, history.findings);
    mergeStats(stats, history.stats);
    if (repo.workTree) {
      try {
        const uncommitted = await uncommittedFiles(repo, scope);
        appendAll(files, uncommitted.files);
        appendAll(allowlistedFiles, uncommitted.allowlisted);
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
  // The walk hands its files to the scan as it finds them; what it counts besides is complete when the scan is.
  const walked: WalkTally = { skippedAllowlisted: 0, unreadable: [], special: [] };
  // A discovered config's globs are relative to its directory (the scanned directory or its repository's top level).
  const allowlistBase = options.config === undefined && loaded.path !== undefined ? dirname(loaded.path) : undefined;
  function* chunks(): Generator<WalkedFile[]> {
    if (files.length > 0) yield files;
    if (roots.length > 0)
      yield* walkFileChunks(
        roots,
        {
          gitignore: options.gitignore,
          allowlistPaths: config.allowlist.paths,
          ...(allowlistBase ? { allowlistBase } : {}),
          ...(options.explain ? { listAllowlisted: true } : {}),
        },
        walked,
      );
    if (stdin) yield [stdin];
  }

  const historyScanned = stats.extra !== undefined;
  if (files.length > 0 || roots.length > 0 || stdin || !historyScanned) {
    const bar = createProgressBar(0, "files", options.progress);
    const filesStarted = performance.now();
    const result = await scanFileChunks(chunks(), {
      settings,
      limits,
      ...(threads !== undefined ? { threads } : stdin ? { threads: 0 } : {}),
      ...(options.explain ? { explain: true } : {}),
      onProgress: (p) => {
        const seconds = (performance.now() - filesStarted) / 1000;
        bar.update(
          p.filesDone,
          { mbps: (p.bytesDone / 1e6 / Math.max(seconds, 0.001)).toFixed(1), findings: p.findings },
          p.filesTotal,
        );
      },
    });
    bar.stop();
    // The walk's own counts and warnings come before the scan's, as they happened.
    stats.skippedAllowlisted += walked.skippedAllowlisted;
    appendAll(allowlistedFiles, walked.allowlisted ?? []);
    stats.unreadable += walked.unreadable.length;
    for (const p of walked.unreadable) stats.warnings.push(`${p}: could not be read`);
    stats.unreadable += walked.special.length;
    for (const { path, kind } of walked.special) stats.warnings.push(`${path}: not a regular file (${kind}), skipped`);
    appendAll(findings, result.findings);
    if (explained) appendAll(explained, result.explained ?? []);
    if (historyScanned) {
      // Only when there were files besides the history (a walk that found none adds nothing).
      if (result.files > 0) {
        const extra = stats.extra!;
        mergeStats(stats, result.stats);
        stats.extra = { ...extra, files: result.stats.filesScanned };
      }
    } else {
      mergeStats(stats, result.stats);
    }
  }
  if (explained && allowlistedFiles.length > 0) appendAll(explained, await explainAllowlisted(allowlistedFiles, scope));
  if (explained)
    explained.sort((a, b) => a.path.localeCompare(b.path) || a.explained.startOffset - b.explained.startOffset);
  return finish(findings, stats, explained);
}

/** What the files that allowlist.paths leaves out would report: each finding there, explained as \`allowlist_path\`. */
async function explainAllowlisted(files: WalkedFile[], scope: ScanScope): Promise<ReportedExplained[]> {
  const result = await scanFiles(files, { settings: scope.settings, limits: scope.limits, explain: true });
  return result.findings.map(({ finding, location }) => ({
    path: location.path,
    explained: {
      secretType: finding.secretType,
      secretTypeDisplayName: finding.secretTypeDisplayName,
      provider: finding.provider,
      category: finding.category,
      confidence: finding.confidence,
      secret: finding.secret,
      isBase64Encoded: finding.isBase64Encoded,
      startOffset: finding.startOffset,
      endOffset: finding.endOffset,
      startLine: finding.startLine,
      endLine: finding.endLine,
      startColumn: finding.startColumn,
      endColumn: finding.endColumn,
      reason: "allowlist_path",
      message: "the config's allowlist.paths (or .vigilignore) leaves this file out: it is not scanned",
      detail: {},
    },
  }));
}

/** --explain adds to the table, JSON and JSON Lines; it explains files, so not a commit range or the staged changes. */
function checkExplain(format: OutputFormat, options: ScanCommandOptions): void {
  if (!options.explain) return;
  if (!(EXPLAIN_FORMATS as readonly string[]).includes(format))
    throw new VigilError("ERR_CLI_USAGE", `--explain works with --format ${EXPLAIN_FORMATS.join(", ")}, not ${format}`);
  if (options.staged || options.range !== undefined)
    throw new VigilError(
      "ERR_CLI_USAGE",
      `--explain cannot be used with ${options.staged ? "--staged" : "--range"}: it explains files (give the paths)`,
    );
}

/** Warnings for scanned paths that have a config of their own, which this run does not use. */
function otherConfigs(paths: string[], used: string | undefined): string[] {
  const notes: string[] = [];
  for (const path of paths.slice(1)) {
    if (path === "-") continue;
    const own = findConfigFile(undefined, configSearchDirs(path));
    if (own !== undefined && own !== used)
      notes.push(
        `${path} has its own config, ${displayPath(own)}, which this run does not use (it uses ${used === undefined ? "none" : displayPath(used)}): scan it on its own, or pass --config`,
      );
  }
  return notes;
}

/** A path as the user would name it: relative to the current directory when under it. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

function parseBlock(value: string | undefined): BlockPolicy | undefined {
  if (value === undefined) return undefined;
  if ((BLOCK_POLICIES as readonly string[]).includes(value)) return value as BlockPolicy;
  throw new VigilError("ERR_CLI_USAGE", `--block: "${value}" is not one of ${BLOCK_POLICIES.join(", ")}`);
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
    // An escape hatch (and the benchmark's plain scan): every blob read through git cat-file.
    ...(process.env["VIGIL_READ_PACKS"] === "0" ? { readPacks: false } : {}),
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
  const bar = createProgressBar(0, "commits", options.progress);
  const started = performance.now();
  const result = await scanHistory(repo, {
    ...historyBase(repo, scope),
    ...(exclude ? { exclude } : {}),
    ...(previous ? { previous } : {}),
    trackState: tracked,
    countCommits: progressShown(options.progress),
    onProgress: (p) => historyProgress(bar, p, started),
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

/** History progress: commits scanned of the commits counted first (a stable total, so the ETA holds), and blobs read. */
function historyProgress(bar: ProgressBar, p: HistoryProgress, started: number): void {
  const seconds = (performance.now() - started) / 1000;
  const mbps = (p.bytesDone / 1e6 / Math.max(seconds, 0.001)).toFixed(1);
  bar.update(
    p.commitsDone,
    { mbps, findings: p.findings, extra: `${p.blobsDone.toLocaleString("en")} blob${p.blobsDone === 1 ? "" : "s"}` },
    p.commitsTotal ?? Math.max(p.commitsDone, 1),
  );
}

/** Uncommitted files of a work tree: changed from HEAD, or untracked and not ignored. */
async function uncommittedFiles(
  repo: GitRepository,
  scope: ScanScope,
): Promise<{ files: WalkedFile[]; skippedAllowlisted: number; allowlisted: WalkedFile[] }> {
  const filter = pathFilter(repo, scope.config);
  const cwd = process.cwd();
  const files: WalkedFile[] = [];
  const allowlisted: WalkedFile[] = [];
  let skippedAllowlisted = 0;
  for (const { path, raw } of await listUncommittedFiles(repo, { includeIgnored: !scope.options.gitignore })) {
    const skipped = filter.skip(path);
    if (skipped) skippedAllowlisted++;
    if (skipped && !scope.options.explain) continue;
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
    // With --explain, what the allowlist leaves out is listed (as allowlist_path), not reported.
    (skipped ? allowlisted : files).push({
      path: rel.startsWith("..") || rel === "" ? absolutePath : rel,
      absolutePath,
      size: stat.size,
      ...(rawPath ? { rawPath } : {}),
    });
  }
  return { files, skippedAllowlisted, allowlisted };
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
  const bar = createProgressBar(0, "commits", scope.options.progress);
  const started = performance.now();
  const result = await scanHistory(repo, {
    ...historyBase(repo, scope),
    revisions,
    countCommits: progressShown(scope.options.progress),
    onProgress: (p) => historyProgress(bar, p, started),
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
/**
 * `--validate`: each distinct secret (with its pair) is checked once with its issuer, through the
 * same checker as the server (rate limits, backoff, time budget); every location gets the answer.
 */
async function validateFindings(findings: ReportedFinding[]): Promise<void> {
  if (findings.length === 0) return;
  const { createValidityChecker, validityCheckerOptionsFromEnv } = await import("../../validity/validity-checker.js");
  const checker = createValidityChecker(validityCheckerOptionsFromEnv(process.env));
  const checks = new Map<string, Promise<{ validity: "active" | "inactive" | "unknown"; detail: string }>>();
  const checkable = findings.filter((f) => checker.supports(f.finding.secretType)).length;
  if (checkable > 0)
    process.stderr.write(`vigil: checking ${countOf(checkable, "finding")} with their issuers (--validate)\n`);
  await Promise.all(
    findings.map(async (reported) => {
      const { finding } = reported;
      const secret = finding.secret.reveal();
      const pair = finding.paired?.secret.reveal();
      const key = JSON.stringify([finding.secretType, secret, pair ?? null]);
      let check = checks.get(key);
      if (!check) {
        check = checker
          .check({ secretType: finding.secretType, secret, ...(pair !== undefined ? { pair } : {}) })
          .then((o) => ({ validity: o.validity, detail: o.detail }));
        checks.set(key, check);
      }
      reported.validity = await check;
    }),
  );
}

export function writeReport(
  findings: ReportedFinding[],
  stats: ScanStats,
  format: OutputFormat,
  options: Pick<ScanCommandOptions, "output" | "showSecrets">,
  context: SummaryContext & { explained?: ReportedExplained[] } = {},
): void {
  const toFile = options.output !== undefined;
  const color = !toFile && format === "table" && process.stdout.isTTY === true && !process.env["NO_COLOR"];
  const { explained, ...summary } = context;
  let text = formatFindings(findings, {
    format,
    showSecrets: options.showSecrets === true,
    toolVersion: VIGIL_VERSION,
    color,
    stats,
  });
  if (explained) text = appendExplained(text, format, explained, { showSecrets: options.showSecrets === true, color });
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
  process.stderr.write(formatSummary(countResults(groupBySecret(findings)), stats, summary) + "\n");
}

/** The config file's, read and checked; without one, the default config, without loading the YAML parser and the schema. */
async function loadScanConfig(explicit: string | undefined, searchDirs: string[]): Promise<LoadedConfig> {
  const path = findConfigFile(explicit, searchDirs);
  if (path === undefined) return { config: defaultConfig(), path };
  const { loadConfig } = await import("../../config/config.js");
  return loadConfig(path, []);
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
