/**
 * What a scan saw of one content, kept so that a content built from it (a git delta: runs copied
 * from this one plus inserted bytes) is scanned without reading again what it copied. Opaque to
 * callers: hold it while contents derived from it are scanned, then drop it.
 */
export interface ScanMemo {
  readonly length: number;
  /** @internal Prefilter hits, [keyword, offset, …] in the order the prefilter reports them. */
  readonly hits: Int32Array;
  /** @internal Regex results per merged window: key `start * 65536 + pattern`, candidates relative to start. */
  readonly windows: Map<number, MemoWindow>;
}

/** @internal */
export interface MemoWindow {
  end: number;
  /** [start, end] relative to the window start, with each candidate's secret. */
  spans: number[];
  secrets: string[];
}

/**
 * How a content was built from a base: [target start, source start, length] triples in target
 * order covering the whole content; source -1 marks bytes inserted (not copied from the base).
 */
export interface Derivation {
  base: ScanMemo;
  parts: ArrayLike<number>;
}
