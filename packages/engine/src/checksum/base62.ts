export const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Base62 encoding of a non-negative integer, left-padded with `0` to `width`. */
export function encodeBase62(value: number, width: number): string {
  let n = Math.floor(value);
  let out = "";
  do {
    out = BASE62_ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, "0");
}

/** Decodes base62; returns -1 for a character outside the alphabet. */
export function decodeBase62(text: string): number {
  let n = 0;
  for (const ch of text) {
    const digit = BASE62_ALPHABET.indexOf(ch);
    if (digit < 0) return -1;
    n = n * 62 + digit;
  }
  return n;
}
