import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { findInPackIndex, type PackIndex } from "./pack-index.js";

/** Pack object kinds as the pack format numbers them. */
export const OBJ_COMMIT = 1;
export const OBJ_TREE = 2;
export const OBJ_BLOB = 3;
export const OBJ_TAG = 4;
export const OBJ_OFS_DELTA = 6;
export const OBJ_REF_DELTA = 7;

/** `base` of a delta whose base is not in this pack (a thin pack) or cannot be parsed: read it through git. */
export const NO_BASE = -2;

/**
 * The blobs of a pack (whole or deltas) laid out in pack order (by offset), the order git wrote them
 * and reads them fastest; other objects are left out once the types are known. Every array is
 * backed by a `SharedArrayBuffer`: the worker threads read the same plan without a copy.
 */
export interface PackPlan {
  packPath: string;
  count: number;
  /** Offset of object `p` in the pack. */
  offsets: Float64Array;
  /** Where its stored data ends (the next object's offset, or the trailing checksum's). */
  ends: Float64Array;
  /** Where the object's zlib data starts (after its header and delta base reference). */
  dataStarts: Float64Array;
  /** Kind as stored (1–4, 6, 7). */
  kinds: Uint8Array;
  /** Type after following delta bases (1–4), 0 when the chain cannot be followed. */
  types: Uint8Array;
  /** Size from the header: the object's size, or for a delta the size of its instructions. */
  sizes: Float64Array;
  /** Pack position of a delta's base; -1 for a whole object; `NO_BASE` when it is not in this pack. */
  bases: Int32Array;
  /** Position in the index (and so the object id) of the object at each pack position. */
  indexPositions: Int32Array;
  /** The deltas built on each blob: `children[childStart[p] … childStart[p + 1])`, in pack order. */
  childStart: Int32Array;
  children: Int32Array;
}

/** Why a pack cannot be planned (the caller reads its objects through `git cat-file`). */
export class PackPlanError extends Error {}

function shared<T extends Float64Array | Int32Array | Uint8Array>(
  Type: { new (buffer: SharedArrayBuffer | ArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
  local = false,
): T {
  const bytes = Math.max(1, length) * Type.BYTES_PER_ELEMENT;
  return new Type(local ? new ArrayBuffer(bytes) : new SharedArrayBuffer(bytes));
}

const CHUNK = 8 * 1024 * 1024;
/** The longest object header with its base reference: a 64-bit size varint and a 20-byte id. */
const HEADER_REACH = 64;

/** Reads every object header of `packPath` in one sequential pass and resolves each delta's base and type. */
export function planPack(packPath: string, index: PackIndex): PackPlan {
  const count = index.count;
  const idxOffsets = index.offsets;
  const order = packOrder(idxOffsets);
  // Every object while headers are read and types resolved (this thread only), then the blobs alone.
  const plan: PackPlan = {
    packPath,
    count,
    offsets: shared(Float64Array, count + 1, true),
    ends: shared(Float64Array, 0, true),
    dataStarts: shared(Float64Array, count, true),
    kinds: shared(Uint8Array, count, true),
    types: shared(Uint8Array, count, true),
    sizes: shared(Float64Array, count, true),
    bases: shared(Int32Array, count, true),
    indexPositions: shared(Int32Array, count, true),
    childStart: shared(Int32Array, 0, true),
    children: shared(Int32Array, 0, true),
  };
  // Index position → pack position, to resolve REF_DELTA bases.
  const packPositionOf = new Int32Array(count);
  for (let p = 0; p < count; p++) {
    plan.indexPositions[p] = order[p]!;
    plan.offsets[p] = idxOffsets[order[p]!]!;
    packPositionOf[order[p]!] = p;
  }
  const fd = openSync(packPath, "r");
  try {
    const packSize = fstatSync(fd).size;
    const head = Buffer.alloc(12);
    if (readSync(fd, head, 0, 12, 0) !== 12 || head.toString("latin1", 0, 4) !== "PACK")
      throw new PackPlanError("not a pack file");
    const version = head.readUInt32BE(4);
    if (version !== 2 && version !== 3) throw new PackPlanError(`pack version ${version}`);
    if (head.readUInt32BE(8) !== count) throw new PackPlanError("pack and index disagree on the object count");
    plan.offsets[count] = packSize - 20;
    const chunk = Buffer.allocUnsafe(CHUNK + HEADER_REACH);
    let chunkStart = 0;
    let chunkLength = 0;
    for (let p = 0; p < count; p++) {
      const offset = plan.offsets[p]!;
      if (offset < 12 || offset >= packSize - 20 || (p > 0 && offset <= plan.offsets[p - 1]!))
        throw new PackPlanError("pack index offsets out of order or range");
      if (offset + HEADER_REACH > chunkStart + chunkLength && chunkStart + chunkLength < packSize) {
        chunkStart = offset;
        chunkLength = readSync(fd, chunk, 0, chunk.length, offset);
      }
      let at = offset - chunkStart;
      const limit = chunkLength;
      let byte = chunk[at++]!;
      const kind = (byte >> 4) & 7;
      let size = byte & 15;
      let shift = 4;
      while (byte & 0x80 && at < limit) {
        byte = chunk[at++]!;
        size += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      }
      plan.kinds[p] = kind;
      plan.sizes[p] = size;
      plan.bases[p] = -1;
      if (kind === OBJ_OFS_DELTA) {
        byte = chunk[at++]!;
        let distance = byte & 0x7f;
        while (byte & 0x80 && at < limit) {
          byte = chunk[at++]!;
          distance = (distance + 1) * 128 + (byte & 0x7f);
        }
        plan.bases[p] = basePosition(plan.offsets, p, offset - distance);
      } else if (kind === OBJ_REF_DELTA) {
        const found = at + 20 <= limit ? findInPackIndex(index, chunk, at) : -1;
        plan.bases[p] = found >= 0 ? packPositionOf[found]! : NO_BASE;
        at += 20;
      } else if (kind < OBJ_COMMIT || kind > OBJ_TAG) {
        throw new PackPlanError(`object kind ${kind} at offset ${offset}`);
      }
      plan.dataStarts[p] = chunkStart + at;
    }
  } finally {
    closeSync(fd);
  }
  resolveTypes(plan);
  const blobs = onlyBlobs(plan);
  linkChildren(blobs);
  return blobs;
}

function onlyBlobs(all: PackPlan): PackPlan {
  const renumber = new Int32Array(all.count);
  let count = 0;
  for (let p = 0; p < all.count; p++) renumber[p] = all.types[p] === OBJ_BLOB ? count++ : -1;
  const plan: PackPlan = {
    packPath: all.packPath,
    count,
    offsets: shared(Float64Array, count),
    ends: shared(Float64Array, count),
    dataStarts: shared(Float64Array, count),
    kinds: shared(Uint8Array, count),
    types: shared(Uint8Array, count),
    sizes: shared(Float64Array, count),
    bases: shared(Int32Array, count),
    indexPositions: shared(Int32Array, count),
    childStart: shared(Int32Array, count + 1),
    children: shared(Int32Array, 0),
  };
  for (let p = 0; p < all.count; p++) {
    const b = renumber[p]!;
    if (b < 0) continue;
    plan.offsets[b] = all.offsets[p]!;
    plan.ends[b] = all.offsets[p + 1]!;
    plan.dataStarts[b] = all.dataStarts[p]!;
    plan.kinds[b] = all.kinds[p]!;
    plan.types[b] = OBJ_BLOB;
    plan.sizes[b] = all.sizes[p]!;
    plan.indexPositions[b] = all.indexPositions[p]!;
    const base = all.bases[p]!;
    // A blob's base is a blob (git deltas objects against objects of their own type).
    plan.bases[b] = base < 0 ? base : renumber[base]! >= 0 ? renumber[base]! : NO_BASE;
  }
  return plan;
}

function linkChildren(plan: PackPlan): void {
  const { count, bases, types, childStart } = plan;
  const isChild = (p: number): boolean => types[p] === OBJ_BLOB && bases[p]! >= 0;
  for (let p = 0; p < count; p++) if (isChild(p)) childStart[bases[p]! + 1]!++;
  for (let p = 0; p < count; p++) childStart[p + 1] = childStart[p + 1]! + childStart[p]!;
  plan.children = shared(Int32Array, childStart[count]!);
  const fill = childStart.slice(0, count);
  for (let p = 0; p < count; p++) if (isChild(p)) plan.children[fill[bases[p]!]!++] = p;
}

/** Index positions sorted by offset. */
function packOrder(offsets: Float64Array): Int32Array {
  const count = offsets.length;
  const bits = Math.max(1, Math.ceil(Math.log2(count + 1)));
  let largest = 0;
  for (let i = 0; i < count; i++) if (offsets[i]! > largest) largest = offsets[i]!;
  if (largest * 2 ** bits < Number.MAX_SAFE_INTEGER) {
    // Offset and position in one exact number, sorted natively: a comparator over a million objects is seconds.
    const scale = 2 ** bits;
    const keys = new Float64Array(count);
    for (let i = 0; i < count; i++) keys[i] = offsets[i]! * scale + i;
    keys.sort();
    const order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[i] = keys[i]! % scale;
    return order;
  }
  const order = Int32Array.from({ length: count }, (_, i) => i);
  return order.sort((a, b) => offsets[a]! - offsets[b]!);
}

/** The pack position of the object at `offset` (an OFS_DELTA base precedes its delta), or `NO_BASE`. */
function basePosition(offsets: Float64Array, before: number, offset: number): number {
  let lo = 0;
  let hi = before - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = offsets[mid]!;
    if (at === offset) return mid;
    if (at < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return NO_BASE;
}

/** Each delta takes the type of the whole object at the end of its chain; a broken or cyclic chain gets 0. */
function resolveTypes(plan: PackPlan): void {
  const { count, kinds, bases, types } = plan;
  const chain: number[] = [];
  for (let p = 0; p < count; p++) {
    if (types[p] !== 0) continue;
    chain.length = 0;
    let q = p;
    let type = 0;
    while (q >= 0 && chain.length <= count) {
      if (types[q] !== 0) {
        type = types[q]!;
        break;
      }
      if (kinds[q]! <= OBJ_TAG) {
        type = kinds[q]!;
        chain.push(q);
        break;
      }
      chain.push(q);
      q = bases[q]!;
    }
    // 255 marks "visited, unknown" so a cycle is not walked again.
    for (const c of chain) types[c] = type === 0 ? 255 : type;
  }
  for (let p = 0; p < count; p++) if (types[p] === 255) types[p] = 0;
}

/**
 * Splits the pack's blobs into units of work: a unit is a whole object or delta together with every
 * delta built on it (scanned in one walk down the delta tree, each base inflated once), or for a
 * tree too large for one thread, a single object (its chain of bases is rebuilt, not scanned).
 * Returns [position, withDescendants (1) or alone (0), …], largest first, with each unit's estimated cost.
 */
export function planUnits(plan: PackPlan, threads: number): { units: Int32Array; weights: Float64Array } {
  const { count, bases, types, sizes, childStart, children } = plan;
  // The cost of a tree: its objects times the size of its root (every version is about that big).
  const roots: number[] = [];
  for (let p = 0; p < count; p++) if (types[p] === OBJ_BLOB && bases[p] === -1) roots.push(p);
  const subtree = new Float64Array(count);
  let total = 0;
  for (const root of roots) {
    const weight = Math.max(1, sizes[root]!);
    // Post-order over an explicit stack: children are summed before their parent.
    const stack = [root];
    const post: number[] = [];
    while (stack.length > 0) {
      const node = stack.pop()!;
      post.push(node);
      for (let c = childStart[node]!; c < childStart[node + 1]!; c++) stack.push(children[c]!);
    }
    for (let i = post.length - 1; i >= 0; i--) {
      const node = post[i]!;
      let sum = weight;
      for (let c = childStart[node]!; c < childStart[node + 1]!; c++) sum += subtree[children[c]!]!;
      subtree[node] = sum;
    }
    total += subtree[root]!;
  }
  const limit = Math.max(1, total / (Math.max(1, threads) * 16));
  const units: Array<[number, number, number]> = [];
  const pending = [...roots];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (subtree[node]! <= limit) {
      units.push([node, 1, subtree[node]!]);
      continue;
    }
    units.push([node, 0, subtree[node]! - sumChildren(node)]);
    for (let c = childStart[node]!; c < childStart[node + 1]!; c++) pending.push(children[c]!);
  }
  function sumChildren(node: number): number {
    let sum = 0;
    for (let c = childStart[node]!; c < childStart[node + 1]!; c++) sum += subtree[children[c]!]!;
    return sum;
  }
  units.sort((a, b) => b[2] - a[2]);
  const out = new Int32Array(units.length * 2);
  const weights = new Float64Array(units.length);
  units.forEach(([node, whole, weight], i) => {
    out[i * 2] = node;
    out[i * 2 + 1] = whole;
    weights[i] = weight;
  });
  return { units: out, weights };
}
