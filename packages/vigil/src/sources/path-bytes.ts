import { isUtf8 } from "node:buffer";

/**
 * A path's bytes as text to show and store. Paths are bytes on Linux and in git; most are UTF-8 and
 * are shown as they are. A byte that is not valid UTF-8 is written `\xNN` (so `caf\xe9.env` for
 * Latin-1 `café.env`), never replaced by U+FFFD, so two different names never look the same.
 */
export function displayPathBytes(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buffer)) return buffer.toString("utf8");
  let out = "";
  let run = 0;
  let i = 0;
  const flush = (end: number): void => {
    if (end > run) out += buffer.toString("utf8", run, end);
  };
  while (i < buffer.length) {
    const length = validSequenceLength(buffer, i);
    if (length > 0) {
      i += length;
      continue;
    }
    flush(i);
    out += `\\x${buffer[i]!.toString(16).padStart(2, "0")}`;
    i++;
    run = i;
  }
  flush(i);
  return out;
}

/** Whether these bytes are a name that text cannot carry faithfully (not valid UTF-8). */
export function needsRawPath(bytes: Uint8Array): boolean {
  return !isUtf8(bytes);
}

function validSequenceLength(b: Buffer, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const n = b.length;
  const cont = (k: number): boolean => i + k < n && (b[i + k]! & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    if (c === 0xe0 && b[i + 1]! < 0xa0) return 0;
    if (c === 0xed && b[i + 1]! > 0x9f) return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c === 0xf0 && b[i + 1]! < 0x90) return 0;
    if (c === 0xf4 && b[i + 1]! > 0x8f) return 0;
    return 4;
  }
  return 0;
}
