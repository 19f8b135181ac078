import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";

/** `content`: the bytes; `too-large`: more than the limit (reading stopped there); `special`: not a regular file, never read; `unreadable`: an error. */
export type BoundedRead =
  | { outcome: "content"; content: Buffer }
  | { outcome: "too-large" }
  | { outcome: "special"; kind: string }
  | { outcome: "unreadable"; error: string };

/** What a non-regular file is, in words for a warning; undefined for a regular file or a directory. */
export function specialFileKind(
  stat: Pick<Stats, "isFIFO" | "isSocket" | "isCharacterDevice" | "isBlockDevice">,
): string | undefined {
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  return undefined;
}

const CHUNK = 64 * 1024;

/**
 * A buffer reused from one read to the next (a scan reads thousands of small files: one allocation
 * each would be garbage to collect). Content read into it is valid until the next read with it.
 */
export interface ReadScratch {
  buffer: Buffer;
}

/** Files up to this size are read into the scratch buffer (which grows to fit them); larger ones get their own. */
const SCRATCH_MAX = 8 * 1024 * 1024;

export function createReadScratch(): ReadScratch {
  return { buffer: Buffer.allocUnsafe(256 * 1024) };
}

/**
 * Reads a regular file, never more than `maxSize` + 1 bytes: the file is opened without blocking
 * (a FIFO's open would wait for a writer) and checked with fstat on the open descriptor, so a
 * device, FIFO or socket is never read, and a file that grows while it is read stops at the limit.
 * `path` may be bytes (a name that is not valid UTF-8). With `scratch`, the content may be a view of
 * its buffer: use it before the next read.
 */
export function readRegularFile(path: string | Buffer, maxSize: number, scratch?: ReadScratch): BoundedRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { outcome: "unreadable", error: (error as NodeJS.ErrnoException).code ?? "error" };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { outcome: "unreadable", error: "EISDIR" };
    const kind = specialFileKind(stat);
    if (kind) return { outcome: "special", kind };
    if (stat.size > maxSize) return { outcome: "too-large" };
    return readLimited(fd, maxSize, stat.size, scratch);
  } catch (error) {
    return { outcome: "unreadable", error: (error as NodeJS.ErrnoException).code ?? "error" };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads standard input to its end, but never more than `maxSize` + 1 bytes: `vigil scan - < /dev/zero`
 * or an endless pipe stops at the limit and is reported too large.
 */
export function readStdinBounded(maxSize: number): BoundedRead {
  try {
    const stat = fstatSync(0);
    return readLimited(0, maxSize, stat.isFile() ? stat.size : CHUNK);
  } catch (error) {
    return { outcome: "unreadable", error: (error as NodeJS.ErrnoException).code ?? "error" };
  }
}

function readLimited(fd: number, maxSize: number, sizeHint: number, scratch?: ReadScratch): BoundedRead {
  const limit = maxSize + 1;
  // One byte more than the size: a file that grew since its fstat is noticed (and read on).
  const first = Math.max(1, Math.min(limit, sizeHint + 1));
  let buffer: Buffer;
  if (scratch && first <= SCRATCH_MAX) {
    if (scratch.buffer.length < first)
      scratch.buffer = Buffer.allocUnsafe(Math.min(SCRATCH_MAX, Math.max(first, scratch.buffer.length * 2)));
    buffer = scratch.buffer.subarray(0, first);
  } else {
    buffer = Buffer.allocUnsafe(first);
  }
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length >= limit) return { outcome: "too-large" };
      const grown = Buffer.allocUnsafe(Math.min(limit, buffer.length * 2 + CHUNK));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    let read: number;
    try {
      read = readSync(fd, buffer, length, buffer.length - length, null);
    } catch (error) {
      // A non-blocking pipe with nothing yet: wait a little and read again.
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      throw error;
    }
    if (read === 0) break;
    length += read;
  }
  if (length > maxSize) return { outcome: "too-large" };
  return { outcome: "content", content: buffer.subarray(0, length) };
}
