import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { MatcherSettings } from "../../../scan/matcher-settings.js";
import { packScanWorkerUrl } from "../../../scan/worker-url.js";
import type { ContentLimits, ContentOutcome, WireFinding } from "../../../scan/scan-content.js";
import { findInPackIndex, readPackIndex, type PackIndex } from "./pack-index.js";
import { planPack, planUnits, type PackPlan } from "./pack-plan.js";
import { PackUnitScanner } from "./pack-unit-scanner.js";
import {
  OUTCOMES,
  type PackWorkerInit,
  type PackWorkerRequest,
  type PackWorkerResponse,
} from "./pack-worker-protocol.js";

export interface PackScanOptions {
  settings: MatcherSettings;
  limits: ContentLimits;
  threads: number;
  signal?: AbortSignal;
  /** After each batch of blobs: how many were scanned and their bytes (for a progress display). */
  onProgress?: (blobs: number, bytes: number) => void;
}

export interface PackBlobResult {
  outcome: ContentOutcome;
  bytes: number;
  findings: WireFinding[];
}

/** Every blob of a repository's packs, scanned; what is not here (loose, unreadable in its pack) is read through git. */
export interface PackScan {
  /** The scan of blob `oid` (hex), or undefined when no pack gave it. */
  get(oid: string): PackBlobResult | undefined;
  /** Packs read, and packs left to git (an index or pack this reader does not understand). */
  packs: number;
  skippedPacks: number;
}

interface ScannedPack {
  /** The ids of the pack's blobs alone, sorted (the index's order): a blob pack's results are looked up by. */
  index: PackIndex;
  plan: PackPlan;
  /** Position in `index` → pack position (in `plan`). */
  packPositions: Int32Array;
  /** Per pack position: index into OUTCOMES plus one, 0 when not scanned. */
  outcomes: Uint8Array;
  bytes: Float64Array;
  findings: Map<number, WireFinding[]>;
}

/** Pack files of a repository (`objects/pack/*.pack` with their `.idx`). */
export function listPacks(gitDir: string): Array<{ idx: string; pack: string }> {
  const dir = join(gitDir, "objects", "pack");
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(".idx"))
    .map((name) => ({ idx: join(dir, name), pack: join(dir, name.slice(0, -4) + ".pack") }))
    .filter(({ pack }) => existsSync(pack))
    .sort((a, b) => a.pack.localeCompare(b.pack));
}

/**
 * Scans every blob of every pack of the repository on `threads` worker threads. Each thread reads the
 * pack itself in delta-tree order (a base inflated once, each delta applied to it while it is held),
 * so no content crosses between threads. Pack indexes or packs it cannot read are left out (`get` is
 * then undefined for their objects and the caller reads them through git).
 */
export async function scanPacks(gitDir: string, options: PackScanOptions): Promise<PackScan> {
  const scanned: ScannedPack[] = [];
  let skippedPacks = 0;
  for (const { idx, pack } of listPacks(gitDir)) {
    try {
      const read = readPackIndex(idx);
      const plan = planPack(pack, read);
      // Only the blobs' ids are needed from here on (a pack's commits and trees are most of its
      // objects): a copy of them, in the index's order, so the rest of the file is let go.
      const { index, packPositions } = blobIndex(read, plan);
      scanned.push({
        index,
        plan,
        packPositions,
        outcomes: new Uint8Array(plan.count),
        bytes: new Float64Array(plan.count),
        findings: new Map(),
      });
    } catch {
      skippedPacks++;
    }
  }
  const queue: PackWorkerRequest[] = [];
  let batch = 0;
  scanned.forEach(({ plan }, pack) => {
    const { units, weights } = planUnits(plan, options.threads);
    // Batches of about equal cost, largest units first (a big unit makes a batch alone), so that no
    // thread is handed most of the work in one message and the threads finish together.
    let total = 0;
    for (const weight of weights) total += weight;
    const target = total / (Math.max(1, options.threads) * 64);
    for (let i = 0; i < weights.length;) {
      let end = i + 1;
      let cost = weights[i]!;
      while (end < weights.length && end - i < 32 && cost + weights[end]! <= target) cost += weights[end++]!;
      queue.push({ batch: batch++, pack, units: units.slice(2 * i, 2 * end) });
      i = end;
    }
  });
  if (queue.length > 0 && options.threads > 0) await runWorkers(scanned, queue, options);
  else if (queue.length > 0) runHere(scanned, queue, options);
  return {
    packs: scanned.length,
    skippedPacks,
    get(oid: string): PackBlobResult | undefined {
      const key = Buffer.from(oid, "hex");
      if (key.length !== 20) return undefined;
      for (const pack of scanned) {
        const found = findInPackIndex(pack.index, key);
        if (found < 0) continue;
        const p = pack.packPositions[found]!;
        if (p < 0) continue;
        const outcome = pack.outcomes[p]!;
        if (outcome === 0) continue;
        return { outcome: OUTCOMES[outcome - 1]!, bytes: pack.bytes[p]!, findings: pack.findings.get(p) ?? [] };
      }
      return undefined;
    },
  };
}

/** The ids of the plan's blobs, sorted as the index sorts them, with each one's pack position. */
function blobIndex(read: PackIndex, plan: PackPlan): { index: PackIndex; packPositions: Int32Array } {
  const OID = 20;
  const packPositionOf = new Int32Array(read.count).fill(-1);
  for (let p = 0; p < plan.count; p++) packPositionOf[plan.indexPositions[p]!] = p;
  const oids = Buffer.allocUnsafe(Math.max(1, plan.count) * OID);
  const packPositions = new Int32Array(plan.count);
  let count = 0;
  for (let i = 0; i < read.count; i++) {
    const p = packPositionOf[i]!;
    if (p < 0) continue;
    read.oids.copy(oids, count * OID, i * OID, (i + 1) * OID);
    packPositions[count++] = p;
  }
  return { index: { count, oids: oids.subarray(0, count * OID), offsets: new Float64Array(0) }, packPositions };
}

function record(scanned: ScannedPack[], response: PackWorkerResponse, options: PackScanOptions): void {
  const pack = scanned[response.pack]!;
  let bytes = 0;
  for (let i = 0; i < response.positions.length; i++) {
    const p = response.positions[i]!;
    pack.outcomes[p] = response.outcomes[i]! + 1;
    pack.bytes[p] = response.bytes[i]!;
    bytes += response.bytes[i]!;
  }
  for (const [p, findings] of response.findings) pack.findings.set(p, findings);
  options.onProgress?.(response.positions.length, bytes);
}

/** Without worker threads (`threads: 0`): the same scan on this thread. */
function runHere(scanned: ScannedPack[], queue: PackWorkerRequest[], options: PackScanOptions): void {
  const scanner = new PackUnitScanner({
    settings: options.settings,
    limits: options.limits,
    packs: scanned.map((s) => s.plan),
  });
  try {
    for (const request of queue) {
      if (options.signal?.aborted) throw new Error("scan aborted");
      record(scanned, scanner.scan(request), options);
    }
  } finally {
    scanner.close();
  }
}

/**
 * Each pack worker's young generation (V8's default lets it grow to ~48 MB): a worker allocates a
 * blob's content, its delta's and the scan's small objects at a high rate, and with the default V8
 * grows the nursery to its largest, which on symfony/symfony was ~50 MB of the scan's peak memory
 * (470 MB → 413 MB with 8 MB) for no measurable CPU time.
 */
const YOUNG_GENERATION_MB = 8;

async function runWorkers(scanned: ScannedPack[], queue: PackWorkerRequest[], options: PackScanOptions): Promise<void> {
  const init: PackWorkerInit = {
    settings: options.settings,
    limits: options.limits,
    packs: scanned.map((s) => s.plan),
  };
  const url = packScanWorkerUrl();
  const threads = Math.max(1, Math.min(options.threads, queue.length));
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let outstanding = 0;
      const abort = (): void => reject(new Error("scan aborted"));
      if (options.signal?.aborted) return abort();
      options.signal?.addEventListener("abort", abort, { once: true });
      const send = (worker: Worker): void => {
        if (next >= queue.length) return;
        const request = queue[next++]!;
        outstanding++;
        worker.postMessage(request);
      };
      for (let t = 0; t < threads; t++) {
        const worker = new Worker(url, {
          workerData: init,
          resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
        });
        workers.push(worker);
        worker.on("message", (response: PackWorkerResponse) => {
          outstanding--;
          record(scanned, response, options);
          send(worker);
          if (outstanding === 0 && next >= queue.length) {
            options.signal?.removeEventListener("abort", abort);
            resolve();
          }
        });
        worker.on("error", (error) => reject(error));
        worker.on("exit", (code) => {
          if (outstanding > 0) reject(new Error(`pack scan worker exited with code ${code}`));
        });
        // Two batches each: one being scanned, one waiting.
        send(worker);
        send(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
