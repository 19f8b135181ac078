/** Bytes of the base64 alphabets (standard and URL-safe). */
const BASE64_BYTE = (() => {
  const table = new Uint8Array(256);
  for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_") table[ch.charCodeAt(0)] = 1;
  return table;
})();

/** Shorter runs cannot hold an encoded token of interest; longer ones are data, not config. */
export const MIN_BASE64_SEGMENT = 24;
export const MAX_BASE64_SEGMENT = 8192;

export interface Base64Segment {
  start: number;
  end: number;
}

/**
 * Runs of base64 characters that could be an encoded secret: long enough,
 * bounded, containing at least one digit or mixed case (so plain words and
 * identifiers are skipped), and decoding to mostly printable ASCII.
 */
export function findBase64Segments(content: Uint8Array): Base64Segment[] {
  const out: Base64Segment[] = [];
  const n = content.length;
  let i = 0;
  while (i < n) {
    if (BASE64_BYTE[content[i]!] === 0) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && BASE64_BYTE[content[i]!] === 1) i++;
    let end = i;
    while (end < n && end - i < 2 && content[end] === 0x3d) end++;
    const length = i - start;
    if (length >= MIN_BASE64_SEGMENT && length <= MAX_BASE64_SEGMENT && decodesToText(content, start, i)) {
      out.push({ start, end });
    }
    i = end > i ? end : i;
  }
  return out;
}

function decodesToText(content: Uint8Array, start: number, end: number): boolean {
  const text = Buffer.from(Buffer.from(content.buffer, content.byteOffset + start, end - start).toString("latin1"), "base64");
  if (text.length === 0) return false;
  let printable = 0;
  for (const byte of text) if ((byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x0d || byte === 0x09) printable++;
  return printable / text.length >= 0.95;
}
