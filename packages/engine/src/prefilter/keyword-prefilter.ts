/** ASCII case folding table: the prefilter is case-insensitive, confirmation is exact. */
const FOLD = (() => {
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) table[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
  return table;
})();

export const MIN_KEYWORD_LENGTH = 3;

/** Called for each keyword occurrence: its index in the keyword list and its byte offset. */
export type KeywordHitHandler = (keyword: number, offset: number) => void;

/**
 * Multi-keyword search over raw bytes. Every keyword is indexed by its first two
 * (case-folded) bytes in a 64K table, so the loop costs one table load per
 * byte whatever the number of keywords; only bigram hits verify the rest.
 * Measured faster than an Aho-Corasick automaton in V8 for a few hundred
 * keywords, because the common case (no bigram hit) touches one small table.
 */
export class KeywordPrefilter {
  readonly keywords: readonly string[];
  readonly #bytes: Uint8Array[];
  /** Non-zero where some keyword starts with this bigram (first | second << 8). */
  readonly #hasBigram = new Uint8Array(65536);
  readonly #bucketStart = new Int32Array(65537);
  readonly #bucketItems: Int32Array;

  constructor(keywords: readonly string[]) {
    this.keywords = keywords;
    this.#bytes = keywords.map((keyword) => {
      const bytes = new TextEncoder().encode(keyword);
      if (bytes.length < MIN_KEYWORD_LENGTH) {
        throw new RangeError(`keyword "${keyword}" is shorter than ${MIN_KEYWORD_LENGTH} bytes`);
      }
      return bytes.map((b) => FOLD[b] ?? b);
    });
    const keyOf = (bytes: Uint8Array): number => (bytes[0] ?? 0) | ((bytes[1] ?? 0) << 8);
    const counts = new Int32Array(65536);
    for (const bytes of this.#bytes) counts[keyOf(bytes)]! += 1;
    let running = 0;
    for (let key = 0; key < 65536; key++) {
      this.#bucketStart[key] = running;
      running += counts[key]!;
      if (counts[key]! > 0) this.#hasBigram[key] = 1;
    }
    this.#bucketStart[65536] = running;
    this.#bucketItems = new Int32Array(running);
    const fill = this.#bucketStart.slice(0, 65536);
    this.#bytes.forEach((bytes, index) => {
      const key = keyOf(bytes);
      this.#bucketItems[fill[key]!++] = index;
    });
  }

  scan(data: Uint8Array, onHit: KeywordHitHandler): void {
    const n = data.length;
    if (n < MIN_KEYWORD_LENGTH) return;
    const fold = FOLD;
    const has = this.#hasBigram;
    const bucketStart = this.#bucketStart;
    const bucketItems = this.#bucketItems;
    const keywords = this.#bytes;
    let prev = fold[data[0]!]!;
    for (let i = 1; i < n; i++) {
      const cur = fold[data[i]!]!;
      const key = prev | (cur << 8);
      prev = cur;
      if (has[key] === 0) continue;
      // Verify the keywords of this bigram in place: a call per hit costs more than the check.
      const start = i - 1;
      const end = bucketStart[key + 1]!;
      for (let item = bucketStart[key]!; item < end; item++) {
        const index = bucketItems[item]!;
        const keyword = keywords[index]!;
        const length = keyword.length;
        if (start + length > n) continue;
        let k = 2;
        while (k < length && fold[data[start + k]!] === keyword[k]) k++;
        if (k === length) onHit(index, start);
      }
    }
  }
}
