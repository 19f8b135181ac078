import { closeSync, openSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { buildMatcher } from "../../../scan/matcher-settings.js";
import type { Finding, ScanMemo } from "vigil-secrets-engine";
import { contentSkipped, toWire, type ContentOutcome, type WireFinding } from "../../../scan/scan-content.js";
import { applyDelta, inflatePackObject, type DeltaParts } from "./pack-object.js";
import type { PackPlan } from "./pack-plan.js";
import {
  OUTCOMES,
  type PackWorkerInit,
  type PackWorkerRequest,
  type PackWorkerResponse,
} from "./pack-worker-protocol.js";

const init = workerData as PackWorkerInit;
const matcher = buildMatcher(init.settings);
const fds = new Map<number, number>();

function fdOf(pack: number): number {
  let fd = fds.get(pack);
  if (fd === undefined) fds.set(pack, (fd = openSync(init.packs[pack]!.packPath, "r")));
  return fd;
}

class Collector {
  positions: number[] = [];
  outcomes: number[] = [];
  bytes: number[] = [];
  findings: Array<[number, WireFinding[]]> = [];

  /** Scans a blob, from what its base's scan saw when it is a delta; returns what this scan saw, for its own deltas. */
  add(position: number, content: Uint8Array, base?: ScanMemo, parts?: DeltaParts): ScanMemo | undefined {
    let outcome: ContentOutcome;
    let findings: Finding[] = [];
    let memo: ScanMemo | undefined;
    const skipped = contentSkipped(content, init.limits);
    if (skipped) {
      outcome = skipped;
    } else {
      outcome = "scanned";
      ({ findings, memo } = matcher.scanWithMemo(content, base && parts ? { base, parts } : undefined));
    }
    this.positions.push(position);
    this.outcomes.push(OUTCOMES.indexOf(outcome));
    this.bytes.push(outcome === "scanned" ? content.length : 0);
    if (findings.length > 0) this.findings.push([position, findings.map(toWire)]);
    return memo;
  }
}

/** The content of `p`, built from the whole object at the end of its chain (nothing on the way is scanned). */
function rebuild(fd: number, plan: PackPlan, p: number): Buffer {
  const chain: number[] = [];
  for (let q = p; q >= 0; q = plan.bases[q]!) {
    chain.push(q);
    if (chain.length > plan.count) throw new Error("delta chain loops");
  }
  let content = inflatePackObject(fd, plan, chain.pop()!);
  while (chain.length > 0) content = applyDelta(content, inflatePackObject(fd, plan, chain.pop()!));
  return content;
}

/** Scans `p` and, when `whole`, every delta built on it, depth first: each base is held only while its deltas are built. */
function scanTree(
  fd: number,
  plan: PackPlan,
  p: number,
  content: Buffer,
  whole: boolean,
  out: Collector,
  base?: ScanMemo,
  parts?: DeltaParts,
): void {
  const memo = out.add(p, content, base, parts);
  if (!whole) return;
  for (let c = plan.childStart[p]!; c < plan.childStart[p + 1]!; c++) {
    const child = plan.children[c]!;
    const childParts: DeltaParts = [];
    let derived: Buffer;
    try {
      derived = applyDelta(content, inflatePackObject(fd, plan, child), memo ? childParts : undefined);
    } catch {
      continue; // This tree of deltas is read through git instead.
    }
    scanTree(fd, plan, child, derived, true, out, memo, childParts);
  }
}

parentPort?.on("message", (request: PackWorkerRequest) => {
  const plan = init.packs[request.pack]!;
  const fd = fdOf(request.pack);
  const out = new Collector();
  for (let i = 0; i < request.units.length; i += 2) {
    const p = request.units[i]!;
    let content: Buffer;
    try {
      content = rebuild(fd, plan, p);
    } catch {
      continue;
    }
    scanTree(fd, plan, p, content, request.units[i + 1] === 1, out);
  }
  const response: PackWorkerResponse = {
    batch: request.batch,
    pack: request.pack,
    positions: Int32Array.from(out.positions),
    outcomes: Uint8Array.from(out.outcomes),
    bytes: Float64Array.from(out.bytes),
    findings: out.findings,
  };
  parentPort?.postMessage(response, [
    response.positions.buffer,
    response.outcomes.buffer,
    response.bytes.buffer,
  ] as ArrayBuffer[]);
});

process.on("exit", () => {
  for (const fd of fds.values()) closeSync(fd);
});
