import { closeSync, openSync } from "node:fs";
import { buildMatcher } from "../../../scan/matcher-settings.js";
import type { Finding, Matcher, ScanMemo } from "vigil-secrets-engine";
import {
  contentSkipped,
  toWire,
  type ContentLimits,
  type ContentOutcome,
  type WireFinding,
} from "../../../scan/scan-content.js";
import { applyDelta, inflatePackObject, readPackObject, type DeltaParts } from "./pack-object.js";
import type { PackPlan } from "./pack-plan.js";
import {
  OUTCOMES,
  type PackWorkerInit,
  type PackWorkerRequest,
  type PackWorkerResponse,
} from "./pack-worker-protocol.js";

class Collector {
  constructor(
    private readonly matcher: Matcher,
    private readonly limits: ContentLimits,
  ) {}

  positions: number[] = [];
  outcomes: number[] = [];
  bytes: number[] = [];
  findings: Array<[number, WireFinding[]]> = [];

  /** Scans a blob, from what its base's scan saw when it is a delta; returns what this scan saw, for its own deltas. */
  add(position: number, content: Uint8Array, base?: ScanMemo, parts?: DeltaParts): ScanMemo | undefined {
    let outcome: ContentOutcome;
    let findings: Finding[] = [];
    let memo: ScanMemo | undefined;
    const skipped = contentSkipped(content, this.limits);
    if (skipped) {
      outcome = skipped;
    } else {
      outcome = "scanned";
      ({ findings, memo } = this.matcher.scanWithMemo(content, base && parts ? { base, parts } : undefined));
    }
    this.positions.push(position);
    this.outcomes.push(OUTCOMES.indexOf(outcome));
    this.bytes.push(outcome === "scanned" ? content.length : 0);
    if (findings.length > 0) this.findings.push([position, findings.map(toWire)]);
    return memo;
  }
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

/**
 * Scans units of a repository's packs (see `planUnits`): the work of one pack worker thread, or of
 * the calling thread when no workers are wanted. Opens each pack once and keeps it open until `close`.
 */
export class PackUnitScanner {
  private readonly matcher: Matcher;
  private readonly fds = new Map<number, number>();

  constructor(private readonly init: PackWorkerInit) {
    this.matcher = buildMatcher(init.settings);
  }

  scan(request: PackWorkerRequest): PackWorkerResponse {
    const plan = this.init.packs[request.pack]!;
    let fd = this.fds.get(request.pack);
    if (fd === undefined) this.fds.set(request.pack, (fd = openSync(plan.packPath, "r")));
    const out = new Collector(this.matcher, this.init.limits);
    for (let i = 0; i < request.units.length; i += 2) {
      const p = request.units[i]!;
      let content: Buffer;
      try {
        content = readPackObject(fd, plan, p);
      } catch {
        continue; // Read through git instead.
      }
      scanTree(fd, plan, p, content, request.units[i + 1] === 1, out);
    }
    return {
      batch: request.batch,
      pack: request.pack,
      positions: Int32Array.from(out.positions),
      outcomes: Uint8Array.from(out.outcomes),
      bytes: Float64Array.from(out.bytes),
      findings: out.findings,
    };
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
