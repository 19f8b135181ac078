import { readSync } from "node:fs";
import { inflateSync } from "node:zlib";
import type { PackPlan } from "./pack-plan.js";

/** A pack object that cannot be inflated or whose delta does not apply: it is read through git instead. */
export class PackObjectError extends Error {}

/** Compressed bytes are read here, one object at a time (inflating copies them out). */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** Inflates the stored data of pack object `p` (a whole object, or a delta's instructions). */
export function inflatePackObject(fd: number, plan: PackPlan, p: number): Buffer {
  const start = plan.dataStarts[p]!;
  const length = plan.ends[p]! - start;
  if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.max(length, 2 * scratch.length));
  const compressed = scratch.subarray(0, length);
  if (readSync(fd, compressed, 0, length, start) !== length) throw new PackObjectError("pack file is truncated");
  let data: Buffer;
  try {
    data = inflateSync(compressed);
  } catch (error) {
    throw new PackObjectError(`cannot inflate: ${(error as Error).message}`);
  }
  if (data.length !== plan.sizes[p]) throw new PackObjectError("inflated size differs from the header");
  return data;
}

/** The content of pack object `p`, built from the whole object at the end of its delta chain. */
export function readPackObject(fd: number, plan: PackPlan, p: number): Buffer {
  const chain: number[] = [];
  for (let q = p; q >= 0; q = plan.bases[q]!) {
    chain.push(q);
    if (chain.length > plan.count) throw new PackObjectError("delta chain loops");
  }
  if (plan.bases[chain[chain.length - 1]!] !== -1) throw new PackObjectError("delta base is not in this pack");
  let content = inflatePackObject(fd, plan, chain.pop()!);
  while (chain.length > 0) content = applyDelta(content, inflatePackObject(fd, plan, chain.pop()!));
  return content;
}

/**
 * Where each part of a delta's result came from, as [target start, source start, length] triples:
 * source -1 for inserted bytes (taken from the delta itself). Parts are in target order and cover it.
 */
export type DeltaParts = number[];

/** Applies git delta instructions to `base`; fills `parts` (when given) with where each part of the result came from. */
export function applyDelta(base: Buffer, delta: Buffer, parts?: DeltaParts): Buffer {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      if (at >= delta.length) throw new PackObjectError("delta header is truncated");
      byte = delta[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  const baseSize = varint();
  if (baseSize !== base.length) throw new PackObjectError("delta base size differs from the base");
  const size = varint();
  const out = Buffer.allocUnsafe(size);
  let written = 0;
  while (at < delta.length) {
    const op = delta[at++]!;
    if (op & 0x80) {
      let offset = 0;
      let length = 0;
      if (op & 0x01) offset = delta[at++]!;
      if (op & 0x02) offset |= delta[at++]! << 8;
      if (op & 0x04) offset |= delta[at++]! << 16;
      if (op & 0x08) offset = (offset | (delta[at++]! << 24)) >>> 0;
      if (op & 0x10) length = delta[at++]!;
      if (op & 0x20) length |= delta[at++]! << 8;
      if (op & 0x40) length |= delta[at++]! << 16;
      if (length === 0) length = 0x10000;
      if (at > delta.length || offset + length > base.length || written + length > size)
        throw new PackObjectError("delta copies outside its base or result");
      copyBytes(base, offset, out, written, length);
      parts?.push(written, offset, length);
      written += length;
    } else if (op !== 0) {
      if (at + op > delta.length || written + op > size) throw new PackObjectError("delta inserts past its end");
      copyBytes(delta, at, out, written, op);
      parts?.push(written, -1, op);
      at += op;
      written += op;
    } else {
      throw new PackObjectError("delta has a reserved instruction");
    }
  }
  if (written !== size) throw new PackObjectError("delta result is shorter than its header says");
  return out;
}

/** Most delta parts are a few dozen bytes: a loop beats the native copy's call overhead there. */
function copyBytes(from: Buffer, at: number, to: Buffer, into: number, length: number): void {
  if (length >= 64) {
    to.set(from.subarray(at, at + length), into);
    return;
  }
  for (let i = 0; i < length; i++) to[into + i] = from[at + i]!;
}
