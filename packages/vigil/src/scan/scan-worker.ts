import { parentPort, workerData } from "node:worker_threads";
import type { Matcher } from "vigil-secrets-engine";
import { createReadScratch, readRegularFile } from "../sources/read-bounded.js";
import { readFailure } from "./read-failure.js";
import { buildMatcher, type MatcherSettings } from "./matcher-settings.js";
import { scanContent, toWire, type ContentLimits, type ContentOutcome, type WireFinding } from "./scan-content.js";

export interface WorkerInit {
  settings: MatcherSettings;
  limits: ContentLimits;
  /** Pattern subsets a blob batch may ask for (by index): rescans for new or changed patterns. */
  subsets?: string[][];
}

/** Contents (git blobs) packed into one transferred buffer. */
export interface WorkerBlobBatch {
  buffer: ArrayBuffer;
  items: Array<{ index: number; offset: number; length: number }>;
  /** Index into `WorkerInit.subsets`; absent: every pattern. */
  subset?: number;
}

export interface WorkerRequest {
  batch: number;
  files?: Array<{ index: number; absolutePath: string; rawPath?: Uint8Array }>;
  blobs?: WorkerBlobBatch;
}

export interface WorkerFileResult {
  index: number;
  outcome: ContentOutcome | "unreadable";
  bytes: number;
  findings: WireFinding[];
  error?: string;
  /** With `unreadable`: what the path was instead of a regular file (a FIFO, a device), never read. */
  special?: string;
}

export interface WorkerResponse {
  batch: number;
  results: WorkerFileResult[];
}

const init = workerData as WorkerInit;
const matcher = buildMatcher(init.settings);
const subsetMatchers = new Map<number, Matcher>();
const scratch = createReadScratch();

function matcherFor(subset: number | undefined): Matcher {
  if (subset === undefined) return matcher;
  let m = subsetMatchers.get(subset);
  if (!m) {
    m = buildMatcher({ ...init.settings, only: init.subsets?.[subset] ?? [] });
    subsetMatchers.set(subset, m);
  }
  return m;
}

parentPort?.on("message", (request: WorkerRequest) => {
  const results: WorkerFileResult[] = [];
  for (const { index, absolutePath, rawPath } of request.files ?? []) {
    const read = readRegularFile(rawPath ? Buffer.from(rawPath) : absolutePath, init.limits.maxFileSize, scratch);
    if (read.outcome !== "content") {
      results.push(readFailure(index, read));
      continue;
    }
    const content = read.content;
    const { outcome, findings } = scanContent(matcher, content, init.limits);
    results.push({ index, outcome, bytes: outcome === "scanned" ? content.length : 0, findings: findings.map(toWire) });
  }
  if (request.blobs) {
    const blobMatcher = matcherFor(request.blobs.subset);
    for (const { index, offset, length } of request.blobs.items) {
      const content = new Uint8Array(request.blobs.buffer, offset, length);
      const { outcome, findings } = scanContent(blobMatcher, content, init.limits);
      results.push({ index, outcome, bytes: outcome === "scanned" ? length : 0, findings: findings.map(toWire) });
    }
  }
  parentPort?.postMessage({ batch: request.batch, results } satisfies WorkerResponse);
});
