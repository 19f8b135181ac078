import { existsSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { loadConfig, parseSize, type VigilConfig } from "../../config/config.js";
import { VigilError } from "../../errors.js";
import { formatFindings, OUTPUT_FORMATS, type OutputFormat } from "../../output/format-findings.js";
import { scanFiles } from "../../scan/file-scanner.js";
import { matcherSettingsFromConfig } from "../../scan/matcher-settings.js";
import { walkFiles, type WalkedFile } from "../../sources/file-walker.js";
import type { ReportedFinding, ScanStats } from "../../sources/types.js";
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
}

export function registerScanCommand(program: Command): void {
  program
    .command("scan")
    .description("Scan files and directories for secrets (use - for standard input)")
    .argument("[paths...]", "files or directories to scan", ["."])
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
    .addHelpText(
      "after",
      `
Exit status: 0 no secrets found, 1 secrets found (see --exit-code), 2 usage, config or runtime error.

Examples:
  vigil scan                          scan the current directory
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
  for (const path of paths) {
    if (path !== "-" && !existsSync(path)) throw new VigilError("ERR_SCAN_PATH_NOT_FOUND", `path not found: ${path}`);
  }
  const firstDir = paths.map((p) => resolve(p)).find((p) => p !== resolve("-") && existsSync(p) && statSync(p).isDirectory());
  const { config } = loadConfig(options.config, [process.cwd(), ...(firstDir ? [firstDir] : [])]);
  applyFlags(config, options);

  const started = performance.now();
  const files: WalkedFile[] = [];
  let stdin: WalkedFile | undefined;
  const roots: string[] = [];
  for (const path of paths) {
    if (path === "-") stdin = { path: "-", absolutePath: "-", size: 0 };
    else roots.push(resolve(path));
  }
  const walked = walkFiles(roots, { gitignore: options.gitignore, allowlistPaths: config.allowlist.paths });
  files.push(...walked.files);
  if (stdin) files.push(stdin);

  const bar = createProgressBar(files.length, "files", options.progress);
  const result = await scanFiles(files, {
    settings: matcherSettingsFromConfig(config),
    limits: { maxFileSize: config.limits.max_file_size, scanBinaries: config.limits.scan_binaries },
    ...(threads !== undefined ? { threads } : stdin ? { threads: 0 } : {}),
    onProgress: (p) => {
      const seconds = (performance.now() - started) / 1000;
      bar.update(p.filesDone, { mbps: (p.bytesDone / 1e6 / Math.max(seconds, 0.001)).toFixed(1), findings: p.findings });
    },
  });
  bar.stop();
  result.stats.skippedAllowlisted += walked.skippedAllowlisted;
  result.stats.unreadable += walked.unreadable.length;
  result.stats.warnings.push(...walked.unreadable.map((p) => `${p}: could not be read`));
  result.stats.durationMs = performance.now() - started;
  writeReport(result.findings, result.stats, format, options);
  return result.findings.length > 0 ? exitOnFindings : 0;
}

/** Writes findings (stdout or --output) and the summary (stderr). */
export function writeReport(findings: ReportedFinding[], stats: ScanStats, format: OutputFormat, options: Pick<ScanCommandOptions, "output" | "showSecrets">): void {
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
      throw new VigilError("ERR_SCAN_OUTPUT", `cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
    }
  } else {
    process.stdout.write(text);
  }
  process.stderr.write(formatSummary(findings.length, stats) + "\n");
}

function applyFlags(config: VigilConfig, options: ScanCommandOptions): void {
  if (options.maxFileSize !== undefined) {
    const size = parseSize(options.maxFileSize);
    if (size === undefined) throw new VigilError("ERR_CLI_USAGE", `--max-file-size: "${options.maxFileSize}" is not a size (use bytes or e.g. 10MB)`);
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
  if (!Number.isInteger(n) || n < min || n > max) throw new VigilError("ERR_CLI_USAGE", `${flag}: "${value}" must be a whole number from ${min} to ${max}`);
  return n;
}
