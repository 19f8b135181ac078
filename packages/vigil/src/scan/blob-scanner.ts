import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Matcher } from "vigil-secrets-engine";
import { buildMatcher, type MatcherSettings } from "./matcher-settings.js";
import { scanContent, toWire, type ContentLimits } from "./scan-content.js";
import type { WorkerFileResult, WorkerInit, WorkerRequest, WorkerResponse } from "./scan-worker.js";
import { scanWorkerUrl } from "./worker-url.js";

export interface BlobScannerOptions {
  settings: MatcherSettings;
  limits: ContentLimits;
  /** Pattern subsets a blob may be scanned with (by index), for rescans of new or changed patterns. */
  subsets?: string[][];
  /**
   * Worker threads; 0 scans on this thread. Default: this thread while less than 8 MB has come in,
   * then one worker per core (a small history is done before workers would have started).
   */
  threads?: number;
  /**
   * With `threads` undefined: contents are scanned on this thread until this many bytes have come in
   * (default 8 MB), then on workers. A time-budgeted scan sets it low, so that the budget can stop a
   * slow scan (a worker is terminated; this thread could not be interrupted).
   */
  inProcessBytes?: number;
  /** Called once per blob, in no particular order. */
  onResult: (result: WorkerFileResult) => void;
}

/** Scans contents (git blobs) handed over one by one, on a pool of worker threads. */
export interface BlobScanner {
  /**
   * Queues one content for scanning, identified by `index`. Resolves at once while there is room,
   * later when the workers are behind (await it: that is the back-pressure that bounds memory).
   */
  scan(index: number, content: Uint8Array, subset?: number): Promise<void> | undefined;
  /** Scans what is queued and waits for every result. */
  finish(): Promise<void>;
  /** Stops the workers without waiting. */
  close(): Promise<void>;
  /**
   * Stops now, whatever is being scanned (a time budget ran out): workers are terminated without
   * waiting for them (a regex running in native code ends when the process does), waiters are
   * released, and later calls do nothing.
   */
  abort(): void;
}

/** Below this, starting workers (each loads RE2 and compiles the catalog) costs more than it saves. */
const IN_PROCESS_BYTES = 8 * 1024 * 1024;
const BATCH_BYTES = 1024 * 1024;
const BATCH_ITEMS = 512;
/** Batches per worker in flight (one being scanned, one waiting). */
const IN_FLIGHT = 2;

interface Pending {
  index: number;
  content: Uint8Array;
  subset: number | undefined;
}

export function createBlobScanner(options: BlobScannerOptions): BlobScanner {
  return new PooledBlobScanner(options);
}

class PooledBlobScanner implements BlobScanner {
  private readonly matchers = new Map<number, Matcher>();
  /** Contents held back until we know whether the input is small (threads undefined). */
  private held: Pending[] = [];
  private heldBytes = 0;
  private pool: Array<{ worker: Worker; inFlight: number }> | undefined;
  private failure: Error | undefined;
  /** Batch being filled, per subset (-1: all patterns). */
  private filling = new Map<number, { items: Pending[]; bytes: number }>();
  private readonly queue: WorkerRequest[] = [];
  private nextBatch = 0;
  private waiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private aborted = false;

  constructor(private readonly options: BlobScannerOptions) {
    if (options.threads !== undefined && options.threads > 0) this.startPool(options.threads);
  }

  scan(index: number, content: Uint8Array, subset?: number): Promise<void> | undefined {
    if (this.aborted) return undefined;
    if (this.failure) throw this.failure;
    const item = { index, content, subset };
    if (this.pool === undefined) {
      if (this.options.threads === 0) {
        this.scanHere(item);
        return undefined;
      }
      this.held.push(item);
      this.heldBytes += content.length;
      if (this.heldBytes < (this.options.inProcessBytes ?? IN_PROCESS_BYTES)) return undefined;
      this.startPool(availableParallelism());
      const held = this.held;
      this.held = [];
      for (const h of held) this.add(h);
    } else {
      this.add(item);
    }
    return this.room();
  }

  async finish(): Promise<void> {
    if (this.aborted) return;
    if (this.pool === undefined) {
      for (const item of this.held) this.scanHere(item);
      this.held = [];
      return;
    }
    for (const key of [...this.filling.keys()]) this.seal(key);
    this.dispatch();
    while (this.queue.length > 0 || this.pool.some((w) => w.inFlight > 0)) {
      if (this.failure) break;
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    await this.close();
    if (this.failure) throw this.failure;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.held = [];
    this.filling.clear();
    this.queue.length = 0;
    for (const { worker } of this.pool ?? []) void worker.terminate();
    this.pool = [];
    for (const resolve of [...this.waiters.splice(0), ...this.idleWaiters.splice(0)]) resolve();
  }

  async close(): Promise<void> {
    if (this.aborted) return;
    const pool = this.pool ?? [];
    this.pool = [];
    await Promise.all(pool.map(({ worker }) => worker.terminate()));
  }

  private scanHere(item: Pending): void {
    const key = item.subset ?? -1;
    let matcher = this.matchers.get(key);
    if (!matcher) {
      matcher = buildMatcher(
        item.subset === undefined
          ? this.options.settings
          : { ...this.options.settings, only: this.options.subsets?.[item.subset] ?? [] },
      );
      this.matchers.set(key, matcher);
    }
    const { outcome, findings } = scanContent(matcher, item.content, this.options.limits);
    this.options.onResult({
      index: item.index,
      outcome,
      bytes: outcome === "scanned" ? item.content.length : 0,
      findings: findings.map(toWire),
    });
  }

  private startPool(threads: number): void {
    const init: WorkerInit = {
      settings: this.options.settings,
      limits: this.options.limits,
      ...(this.options.subsets ? { subsets: this.options.subsets } : {}),
    };
    const url = scanWorkerUrl();
    this.pool = Array.from({ length: threads }, () => {
      const slot = { worker: new Worker(url, { workerData: init }), inFlight: 0 };
      slot.worker.on("message", (response: WorkerResponse) => {
        if (this.aborted) return;
        slot.inFlight--;
        for (const result of response.results) this.options.onResult(result);
        this.dispatch();
      });
      slot.worker.on("error", (error) => this.fail(error));
      slot.worker.on("exit", (code) => {
        if (slot.inFlight > 0) this.fail(new Error(`scan worker exited with code ${code}`));
      });
      return slot;
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const resolve of [...this.waiters.splice(0), ...this.idleWaiters.splice(0)]) resolve();
  }

  private add(item: Pending): void {
    const key = item.subset ?? -1;
    let batch = this.filling.get(key);
    if (!batch) {
      batch = { items: [], bytes: 0 };
      this.filling.set(key, batch);
    }
    batch.items.push(item);
    batch.bytes += item.content.length;
    if (batch.bytes >= BATCH_BYTES || batch.items.length >= BATCH_ITEMS) {
      this.seal(key);
      this.dispatch();
    }
  }

  /** Packs a batch's contents into one buffer that is moved (not copied) to the worker. */
  private seal(key: number): void {
    const batch = this.filling.get(key);
    this.filling.delete(key);
    if (!batch || batch.items.length === 0) return;
    const buffer = new ArrayBuffer(batch.bytes);
    const bytes = new Uint8Array(buffer);
    let offset = 0;
    const items = batch.items.map(({ index, content }) => {
      bytes.set(content, offset);
      const item = { index, offset, length: content.length };
      offset += content.length;
      return item;
    });
    const first = batch.items[0]!;
    this.queue.push({
      batch: this.nextBatch++,
      blobs: { buffer, items, ...(first.subset !== undefined ? { subset: first.subset } : {}) },
    });
  }

  /** Sends queued batches to the least busy workers. */
  private dispatch(): void {
    const pool = this.pool ?? [];
    while (this.queue.length > 0) {
      let slot = pool[0];
      for (const other of pool) if (slot === undefined || other.inFlight < slot.inFlight) slot = other;
      if (slot === undefined || slot.inFlight >= IN_FLIGHT) break;
      const request = this.queue.shift()!;
      slot.worker.postMessage(request, [request.blobs!.buffer]);
      slot.inFlight++;
    }
    this.wake();
  }

  private wake(): void {
    if (this.queue.length <= (this.pool?.length ?? 1)) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
    const idle = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of idle) resolve();
  }

  /** Resolves when the queue of sealed batches is short enough. */
  private room(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.queue.length <= (this.pool?.length ?? 1)) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
