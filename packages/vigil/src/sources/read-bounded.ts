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
 * Reads a regular file, never more than `maxSize` + 1 bytes: the file is opened without blocking
 * (a FIFO's open would wait for a writer) and checked with fstat on the open descriptor, so a
 * device, FIFO or socket is never read, and a file that grows while it is read stops at the limit.
 * `path` may be bytes (a name that is not valid UTF-8).
 */
export function readRegularFile(path: string | Buffer, maxSize: number): BoundedRead {
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
    return readLimited(fd, maxSize, stat.size);
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

function readLimited(fd: number, maxSize: number, sizeHint: number): BoundedRead {
  const limit = maxSize + 1;
  let buffer = Buffer.allocUnsafe(Math.max(1, Math.min(limit, sizeHint + 1)));
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
