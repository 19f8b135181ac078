import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { WalkedFile } from "../sources/file-walker.js";
import { emptyStats, type ReportedExplained, type ReportedFinding, type ScanStats } from "../sources/types.js";
import { readRegularFile, readStdinBounded } from "../sources/read-bounded.js";
import { countOutcome } from "./count-outcome.js";
import { buildMatcher, type MatcherSettings } from "./matcher-settings.js";
import type { ExplainedCandidate } from "vigil-secrets-engine";
import { contentSkipped, fromWire, scanContent, toWire, type ContentLimits } from "./scan-content.js";
import { readFailure } from "./read-failure.js";
import type { WorkerFileResult, WorkerInit, WorkerRequest, WorkerResponse } from "./scan-worker.js";
import { scanWorkerUrl } from "./worker-url.js";

export interface ScanProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  findings: number;
}

export interface FileScanOptions {
  settings: MatcherSettings;
  limits: ContentLimits;
  /** Worker threads; 0 scans on this thread. Default: one per core, or 0 for small inputs. */
  threads?: number;
  onProgress?: (progress: ScanProgress) => void;
  signal?: AbortSignal;
  /**
   * \`vigil scan --explain\`: also collect what each file's patterns matched but did not report, and
   * why (Matcher.explain). Scans on this thread (the findings are the same).
   */
  explain?: boolean;
}

export interface FileScanResult {
  findings: ReportedFinding[];
  stats: ScanStats;
  /** With \`explain\`: the candidates not reported, by path and offset. */
  explained?: ReportedExplained[];
}

/** Below this, starting workers (each loads RE2 and compiles the catalog) costs more than it saves. */
const IN_PROCESS_BYTES = 8 * 1024 * 1024;
const BATCH_BYTES = 1024 * 1024;
const BATCH_FILES = 256;

/** Scans files on every core. Unreadable files are counted and reported, never fatal. */
export async function scanFiles(files: WalkedFile[], options: FileScanOptions): Promise<FileScanResult> {
  const started = performance.now();
  const totalBytes = files.reduce((sum, f) => sum + Math.min(f.size, options.limits.maxFileSize + 1), 0);
  const threads = options.explain
    ? 0
    : (options.threads ?? (totalBytes < IN_PROCESS_BYTES ? 0 : availableParallelism()));
  const stats = emptyStats();
  const findings: ReportedFinding[] = [];
  const explained: ReportedExplained[] = [];
  const progress: ScanProgress = { filesDone: 0, filesTotal: files.length, bytesDone: 0, findings: 0 };

  const collect = (file: WalkedFile, result: WorkerFileResult & { explained?: ExplainedCandidate[] }): void => {
    progress.filesDone++;
    progress.bytesDone += file.size;
    countOutcome(stats, result);
    if (result.outcome === "unreadable") {
      stats.warnings.push(
        result.special
          ? `${file.path}: not a regular file (${result.special}), skipped`
          : `${file.path}: could not be read (${result.error ?? "error"})`,
      );
    }
    for (const wire of result.findings)
      findings.push({ finding: fromWire(wire), location: { type: "file", path: file.path } });
    for (const candidate of result.explained ?? []) explained.push({ explained: candidate, path: file.path });
    progress.findings = findings.length;
  };

  if (threads === 0) {
    const matcher = buildMatcher(options.settings);
    for (const [index, file] of files.entries()) {
      if (options.signal?.aborted) break;
      collect(file, scanOne(matcher, index, file, options.limits, options.explain === true));
      options.onProgress?.(progress);
    }
  } else {
    await runWorkers(files, options, threads, (index, result) => {
      collect(files[index]!, result);
      options.onProgress?.(progress);
    });
  }
  findings.sort(
    (a, b) => a.location.path.localeCompare(b.location.path) || a.finding.startOffset - b.finding.startOffset,
  );
  stats.durationMs = performance.now() - started;
  if (options.explain) {
    explained.sort((a, b) => a.path.localeCompare(b.path) || a.explained.startOffset - b.explained.startOffset);
    return { findings, stats, explained };
  }
  return { findings, stats };
}

function scanOne(
  matcher: ReturnType<typeof buildMatcher>,
  index: number,
  file: WalkedFile,
  limits: ContentLimits,
  explain = false,
): WorkerFileResult & { explained?: ExplainedCandidate[] } {
  if (file.size > limits.maxFileSize) return { index, outcome: "too-large", bytes: 0, findings: [] };
  const read =
    file.absolutePath === "-"
      ? readStdinBounded(limits.maxFileSize)
      : readRegularFile(file.rawPath ?? file.absolutePath, limits.maxFileSize);
  if (read.outcome !== "content") return readFailure(index, read);
  const content = read.content;
  if (explain) {
    const skipped = contentSkipped(content, limits);
    if (skipped) return { index, outcome: skipped, bytes: 0, findings: [] };
    const { findings, explained } = matcher.explain(content);
    return { index, outcome: "scanned", bytes: content.length, findings: findings.map(toWire), explained };
  }
  const { outcome, findings } = scanContent(matcher, content, limits);
  return { index, outcome, bytes: outcome === "scanned" ? content.length : 0, findings: findings.map(toWire) };
}

/** Feeds batches of files to a pool of workers, two batches in flight per worker. */
async function runWorkers(
  files: WalkedFile[],
  options: FileScanOptions,
  threads: number,
  onResult: (index: number, result: WorkerFileResult) => void,
): Promise<void> {
  // Files over the limit are never read; settle them here.
  const batches: Array<WorkerRequest & { files: NonNullable<WorkerRequest["files"]> }> = [];
  let current: (typeof batches)[number] = { batch: 0, files: [] };
  let currentBytes = 0;
  for (const [index, file] of files.entries()) {
    if (file.size > options.limits.maxFileSize) {
      onResult(index, { index, outcome: "too-large", bytes: 0, findings: [] });
      continue;
    }
    current.files.push({ index, absolutePath: file.absolutePath, ...(file.rawPath ? { rawPath: file.rawPath } : {}) });
    currentBytes += file.size;
    if (currentBytes >= BATCH_BYTES || current.files.length >= BATCH_FILES) {
      batches.push(current);
      current = { batch: batches.length, files: [] };
      currentBytes = 0;
    }
  }
  if (current.files.length > 0) batches.push(current);
  if (batches.length === 0) return;

  const init: WorkerInit = { settings: options.settings, limits: options.limits };
  const workerUrl = scanWorkerUrl();
  const pool = Array.from(
    { length: Math.min(threads, batches.length) },
    () => new Worker(workerUrl, { workerData: init }),
  );
  let next = 0;
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolvePool, rejectPool) => {
            let inFlight = 0;
            const send = (): void => {
              while (inFlight < 2 && next < batches.length && !options.signal?.aborted) {
                worker.postMessage(batches[next++]);
                inFlight++;
              }
              if (inFlight === 0) resolvePool();
            };
            worker.on("message", (response: WorkerResponse) => {
              inFlight--;
              for (const result of response.results) onResult(result.index, result);
              send();
            });
            worker.on("error", rejectPool);
            worker.on("exit", (code) => {
              if (inFlight > 0) rejectPool(new Error(`scan worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}
