/** Bytes of the base64 alphabets (standard and URL-safe). */
const BASE64_BYTE = (() => {
  const table = new Uint8Array(256);
  for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_") table[ch.charCodeAt(0)] = 1;
  return table;
})();

/** A segment longer than this is data (an image, a bundle), not an encoded credential. */
export const MAX_BASE64_SEGMENT = 16384;

export interface Base64Segment {
  start: number;
  end: number;
}

/**
 * The base64 text that a keyword turns into, at each of the three byte
 * alignments, keeping only the characters the keyword alone decides (the
 * neighbours' bits change the rest). The prefilter looks for these, so
 * base64-encoded secrets cost nothing until one is likely there.
 */
export function base64Keywords(keyword: string): string[] {
  const bytes = new TextEncoder().encode(keyword);
  const out = new Set<string>();
  for (let shift = 0; shift < 3; shift++) {
    const padded = new Uint8Array(shift + bytes.length);
    padded.set(bytes, shift);
    const encoded = Buffer.from(padded).toString("base64").replace(/=+$/, "");
    const first = Math.ceil((8 * shift) / 6);
    const last = Math.floor((8 * (shift + bytes.length)) / 6); // exclusive
    const fixed = encoded.slice(first, last);
    if (fixed.length >= 3) {
      out.add(fixed);
      out.add(fixed.replace(/\+/g, "-").replace(/\//g, "_"));
    }
  }
  return [...out];
}

/** The run of base64 characters around `offset` (bounded), with trailing padding. */
export function base64SegmentAround(content: Uint8Array, offset: number): Base64Segment | undefined {
  let start = offset;
  const startLimit = Math.max(0, offset - MAX_BASE64_SEGMENT);
  while (start > startLimit && BASE64_BYTE[content[start - 1]!] === 1) start--;
  let end = offset;
  const endLimit = Math.min(content.length, offset + MAX_BASE64_SEGMENT);
  while (end < endLimit && BASE64_BYTE[content[end]!] === 1) end++;
  if (end - start >= MAX_BASE64_SEGMENT) return undefined;
  while (end < content.length && content[end] === 0x3d && end - start < MAX_BASE64_SEGMENT) end++;
  return end > start ? { start, end } : undefined;
}
