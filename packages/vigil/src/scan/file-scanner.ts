import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { WalkedFile } from "../sources/file-walker.js";
import { emptyStats, type ReportedExplained, type ReportedFinding, type ScanStats } from "../sources/types.js";
import { createReadScratch, readRegularFile, readStdinBounded, type ReadScratch } from "../sources/read-bounded.js";
import { countOutcome } from "./count-outcome.js";
import { buildMatcher, type MatcherSettings } from "./matcher-settings.js";
import type { ExplainedCandidate } from "vigil-secrets-engine";
import { contentSkipped, fromWire, scanContent, toWire, type ContentLimits } from "./scan-content.js";
import { readFailure } from "./read-failure.js";
import type { WorkerFileResult, WorkerInit, WorkerRequest, WorkerResponse } from "./scan-worker.js";
import { scanWorkerUrl } from "./worker-url.js";

export interface ScanProgress {
  filesDone: number;
  /** Files listed so far: it grows while a walk is still finding files. */
  filesTotal: number;
  bytesDone: number;
  findings: number;
}

export interface FileScanOptions {
  settings: MatcherSettings;
  limits: ContentLimits;
  /**
   * Worker threads that scan while this thread hands out files; 0 scans on this thread alone.
   * Default: this thread scans, and once the input is large enough one worker per other core
   * scans with it.
   */
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
  /** Files handed in (scanned, skipped or unreadable). */
  files: number;
  /** With \`explain\`: the candidates not reported, by path and offset. */
  explained?: ReportedExplained[];
}

/**
 * With the default threads, workers start when the input reaches this many files or bytes: each
 * worker loads the engine and builds its matcher (~0.1 s of CPU), then compiles at first use the
 * regexes this thread has compiled already, which a small input does not repay.
 */
const SPAWN_FILES = 2000;
const SPAWN_BYTES = 8 * 1024 * 1024;
const BATCH_BYTES = 1024 * 1024;
const BATCH_FILES = 128;
/** How long this thread scans before it looks at the workers' messages again. */
const SLICE_MS = 3;

type Batch = WorkerRequest & { files: NonNullable<WorkerRequest["files"]> };

/** Scans files on every core. Unreadable files are counted and reported, never fatal. */
export async function scanFiles(files: WalkedFile[], options: FileScanOptions): Promise<FileScanResult> {
  return scanFileChunks([files], options);
}

/**
 * {@link scanFiles} for files that arrive in chunks (a walk's, as it finds them): scanning starts
 * with the first chunk, and the workers start while the rest is still being listed. Between
 * chunks and batches this thread yields, so the workers' results come in and they are kept busy.
 */
export async function scanFileChunks(
  chunks: Iterable<WalkedFile[]>,
  options: FileScanOptions,
): Promise<FileScanResult> {
  const started = performance.now();
  const { limits } = options;
  const auto = options.threads === undefined;
  // --explain scans on this thread alone (Matcher.explain is not in the workers).
  const maxWorkers = options.explain ? 0 : auto ? Math.max(0, availableParallelism() - 1) : options.threads!;
  // This thread scans unless workers were asked for.
  const scansHere = auto || maxWorkers === 0;
  const stats = emptyStats();
  const findings: ReportedFinding[] = [];
  const explained: ReportedExplained[] = [];
  const warnings: Array<{ index: number; text: string }> = [];
  const progress: ScanProgress = { filesDone: 0, filesTotal: 0, bytesDone: 0, findings: 0 };
  const listed: WalkedFile[] = [];

  const collect = (result: LocalFileResult): void => {
    const file = listed[result.index]!;
    progress.filesDone++;
    progress.bytesDone += result.bytes;
    countOutcome(stats, result);
    if (result.outcome === "unreadable") {
      warnings.push({
        index: result.index,
        text: result.special
          ? `${file.path}: not a regular file (${result.special}), skipped`
          : `${file.path}: could not be read (${result.error ?? "error"})`,
      });
    }
    for (const wire of result.findings)
      findings.push({ finding: fromWire(wire), location: { type: "file", path: file.path } });
    for (const candidate of result.explained ?? []) explained.push({ explained: candidate, path: file.path });
    progress.findings = findings.length;
    options.onProgress?.(progress);
  };

  // Batches not yet handed to a scanner, and the one being filled.
  const queue: Batch[] = [];
  let batches = 0;
  let current: Batch = { batch: batches++, files: [] };
  let currentBytes = 0;
  let knownBytes = 0;
  const closeBatch = (): void => {
    if (current.files.length === 0) return;
    queue.push(current);
    current = { batch: batches++, files: [] };
    currentBytes = 0;
  };

  const pool = new WorkerPool(options, maxWorkers, queue, collect);
  const wantWorkers = (): boolean =>
    !auto || listed.length >= SPAWN_FILES || knownBytes + (local?.bytesRead ?? 0) >= SPAWN_BYTES;
  let local: LocalScanner | undefined;

  try {
    for (const chunk of chunks) {
      if (options.signal?.aborted) break;
      for (const file of chunk) {
        const index = listed.length;
        listed.push(file);
        progress.filesTotal++;
        if (file.size !== undefined) {
          // Files over the limit are never read; settle them here.
          if (file.size > limits.maxFileSize) {
            collect({ index, outcome: "too-large", bytes: 0, findings: [] });
            continue;
          }
          knownBytes += file.size;
          currentBytes += file.size;
        }
        current.files.push({
          index,
          absolutePath: file.absolutePath,
          ...(file.rawPath ? { rawPath: file.rawPath } : {}),
        });
        if (currentBytes >= BATCH_BYTES || current.files.length >= BATCH_FILES) closeBatch();
      }
      closeBatch();
      if (scansHere && maxWorkers === 0) {
        // This thread alone: scan as the chunks come.
        local ??= new LocalScanner(options, listed);
        while ((queue.length > 0 || local.busy) && !options.signal?.aborted) local.scanFor(SLICE_MS, queue, collect);
        continue;
      }
      if (wantWorkers()) pool.grow();
      pool.pump();
      // Let the workers' messages in (results, and room for more batches).
      await yieldToEventLoop();
      pool.check();
    }
    closeBatch();
    for (;;) {
      pool.check();
      if (options.signal?.aborted) {
        await pool.drain();
        break;
      }
      if (wantWorkers()) pool.grow();
      pool.pump();
      if (scansHere && (queue.length > 0 || local?.busy)) {
        local ??= new LocalScanner(options, listed);
        // A slice of scanning, then the workers' messages: a worker waiting for its next batch
        // would sit idle for as long as this thread scans without yielding.
        local.scanFor(SLICE_MS, queue, collect);
        await yieldToEventLoop();
        continue;
      }
      if (!pool.busy()) break;
      await pool.event();
    }
    pool.check();
  } finally {
    await pool.close();
  }

  findings.sort(
    (a, b) => a.location.path.localeCompare(b.location.path) || a.finding.startOffset - b.finding.startOffset,
  );
  // In the order the files were listed, whichever thread read them.
  warnings.sort((a, b) => a.index - b.index);
  for (const w of warnings) stats.warnings.push(w.text);
  stats.durationMs = performance.now() - started;
  if (options.explain) {
    explained.sort((a, b) => a.path.localeCompare(b.path) || a.explained.startOffset - b.explained.startOffset);
    return { findings, stats, files: listed.length, explained };
  }
  return { findings, stats, files: listed.length };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A file's result from this thread: with `explain`, also what matched and was not reported. */
type LocalFileResult = WorkerFileResult & { explained?: ExplainedCandidate[] };

/** Scans batches on this thread, file by file, with one read buffer for all its files. */
class LocalScanner {
  readonly #matcher: ReturnType<typeof buildMatcher>;
  readonly #scratch: ReadScratch = createReadScratch();
  /** The batch being scanned and the next of its files. */
  #batch: Batch | undefined;
  #next = 0;
  bytesRead = 0;

  constructor(
    private readonly options: FileScanOptions,
    private readonly listed: WalkedFile[],
  ) {
    this.#matcher = buildMatcher(options.settings);
  }

  /** Whether a batch is scanned in part. */
  get busy(): boolean {
    return this.#batch !== undefined;
  }

  /** Scans files (of the batch in hand, then of the queue's) until `ms` have passed or the queue is empty. */
  scanFor(ms: number, queue: Batch[], onResult: (result: LocalFileResult) => void): void {
    const until = performance.now() + ms;
    do {
      if (!this.#batch) {
        this.#batch = queue.shift();
        this.#next = 0;
        if (!this.#batch) return;
      }
      const { index } = this.#batch.files[this.#next++]!;
      if (this.#next === this.#batch.files.length) this.#batch = undefined;
      const result = this.#scanOne(index, this.listed[index]!);
      this.bytesRead += result.bytes;
      onResult(result);
    } while (performance.now() < until);
  }

  #scanOne(index: number, file: WalkedFile): LocalFileResult {
    const limits = this.options.limits;
    const read =
      file.absolutePath === "-"
        ? readStdinBounded(limits.maxFileSize)
        : readRegularFile(file.rawPath ?? file.absolutePath, limits.maxFileSize, this.#scratch);
    if (read.outcome !== "content") return readFailure(index, read);
    // The content may be a view of the scratch buffer: what is kept of it (findings, explained
    // candidates) holds strings, not views.
    const content = read.content;
    if (this.options.explain) {
      const skipped = contentSkipped(content, limits);
      if (skipped) return { index, outcome: skipped, bytes: 0, findings: [] };
      const { findings, explained } = this.#matcher.explain(content);
      return { index, outcome: "scanned", bytes: content.length, findings: findings.map(toWire), explained };
    }
    const { outcome, findings } = scanContent(this.#matcher, content, limits);
    return { index, outcome, bytes: outcome === "scanned" ? content.length : 0, findings: findings.map(toWire) };
  }
}

interface PoolWorker {
  worker: Worker;
  inFlight: number;
}

/** Worker threads fed from the shared queue, two batches in flight each. */
class WorkerPool {
  readonly #workers: PoolWorker[] = [];
  #failure: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(
    private readonly options: FileScanOptions,
    private readonly max: number,
    private readonly queue: Batch[],
    private readonly onResult: (result: WorkerFileResult) => void,
  ) {}

  /** Starts the workers not started yet (no more than there are batches waiting). */
  grow(): void {
    const init: WorkerInit = { settings: this.options.settings, limits: this.options.limits };
    while (this.#workers.length < this.max && this.#workers.length < this.queue.length) {
      const entry: PoolWorker = { worker: new Worker(scanWorkerUrl(), { workerData: init }), inFlight: 0 };
      entry.worker.on("message", (response: WorkerResponse) => {
        entry.inFlight--;
        for (const result of response.results) this.onResult(result);
        this.#send(entry);
        this.#notify();
      });
      entry.worker.on("error", (error) => this.#fail(error));
      entry.worker.on("exit", (code) => {
        if (entry.inFlight > 0) this.#fail(new Error(`scan worker exited with code ${code}`));
      });
      this.#workers.push(entry);
    }
  }

  pump(): void {
    for (const entry of this.#workers) this.#send(entry);
  }

  #send(entry: PoolWorker): void {
    while (entry.inFlight < 2 && this.queue.length > 0 && !this.options.signal?.aborted && !this.#failure) {
      entry.worker.postMessage(this.queue.shift());
      entry.inFlight++;
    }
  }

  busy(): boolean {
    return this.#workers.some((w) => w.inFlight > 0);
  }

  /** Resolves at the next result or failure of any worker. */
  event(): Promise<void> {
    return new Promise((resolve) => (this.#wake = resolve));
  }

  /** Waits for the batches in flight. */
  async drain(): Promise<void> {
    while (this.busy() && !this.#failure) await this.event();
  }

  /** Throws what a worker failed with. */
  check(): void {
    if (this.#failure) throw this.#failure;
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
