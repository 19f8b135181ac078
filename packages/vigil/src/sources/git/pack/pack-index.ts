import { readFileSync } from "node:fs";

/** One `.idx` file (version 2, SHA-1): every object of its pack, sorted by id, with its offset in the pack. */
export interface PackIndex {
  count: number;
  /** Object ids, 20 bytes each, sorted (the order of the index). */
  oids: Buffer;
  /** Offset in the pack of the object at the same position in `oids`. */
  offsets: Float64Array;
}

const MAGIC = 0xff744f63; // "\377tOc"
const OID = 20;

/** Why an index cannot be read here (the caller then reads its objects through `git cat-file`). */
export class PackIndexError extends Error {}

export function readPackIndex(path: string): PackIndex {
  return parsePackIndex(readFileSync(path));
}

/** Parses a version 2 pack index of SHA-1 objects; anything else is a `PackIndexError`. */
export function parsePackIndex(data: Buffer): PackIndex {
  if (data.length < 8 + 256 * 4 + 40 || data.readUInt32BE(0) !== MAGIC)
    throw new PackIndexError("not a version 2 pack index");
  if (data.readUInt32BE(4) !== 2) throw new PackIndexError(`pack index version ${data.readUInt32BE(4)}`);
  const count = data.readUInt32BE(8 + 255 * 4);
  const oidsAt = 8 + 256 * 4;
  const crcAt = oidsAt + count * OID;
  const offsetsAt = crcAt + count * 4;
  const largeAt = offsetsAt + count * 4;
  // The trailer is the pack's and the index's checksums: exactly 40 bytes for SHA-1, more for SHA-256.
  const large = data.length - 40 - largeAt;
  if (large < 0 || large % 8 !== 0) throw new PackIndexError("pack index size does not fit SHA-1 object ids");
  const offsets = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const word = data.readUInt32BE(offsetsAt + i * 4);
    if (word < 0x80000000) {
      offsets[i] = word;
      continue;
    }
    const at = largeAt + (word & 0x7fffffff) * 8;
    if (at + 8 > data.length - 40) throw new PackIndexError("pack index large offset out of range");
    offsets[i] = data.readUInt32BE(at) * 2 ** 32 + data.readUInt32BE(at + 4);
  }
  return { count, oids: data.subarray(oidsAt, crcAt), offsets };
}

/** The position of `oid` (20 raw bytes at `at` in `key`) in the index, or -1. */
export function findInPackIndex(index: PackIndex, key: Uint8Array, at = 0): number {
  let lo = 0;
  let hi = index.count - 1;
  const oids = index.oids;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareOid(oids, mid * OID, key, at);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function compareOid(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number): number {
  for (let i = 0; i < OID; i++) {
    const d = a[aAt + i]! - b[bAt + i]!;
    if (d !== 0) return d;
  }
  return 0;
}
