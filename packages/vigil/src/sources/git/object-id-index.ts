/**
 * A compact set of git object ids that numbers them 0, 1, 2, … in insertion order. Ids are kept as
 * raw bytes (20 for SHA-1, 32 for SHA-256) in one buffer with an open-addressing table beside it:
 * about 28 bytes per object for SHA-1, against ~120 for a `Map<string, number>`, and no 2^24 entry
 * limit, so the unique-blob index of a very large history stays small.
 */
export class ObjectIdIndex {
  private bytes: Buffer;
  private table: Int32Array;
  private mask: number;
  private count = 0;
  private width = 0;
  private readonly initialCapacity: number;

  constructor(initialCapacity = 1024) {
    const slots = nextPowerOfTwo(Math.max(16, initialCapacity * 2));
    this.table = new Int32Array(slots);
    this.mask = slots - 1;
    this.bytes = Buffer.alloc(0);
    this.initialCapacity = Math.max(16, initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  /** The number of `oid`, adding it when new. Check `size` before and after to know whether it was added. */
  add(oid: string): number {
    const slot = this.find(oid);
    const existing = this.table[slot]!;
    if (existing !== 0) return existing - 1;
    const id = this.count++;
    this.table[slot] = id + 1;
    if (this.count * 2 > this.table.length) this.rehash();
    return id;
  }

  /** The number of `oid`, or -1 when it is not in the index. */
  get(oid: string): number {
    if (this.count === 0) return -1;
    return this.table[this.find(oid)]! - 1;
  }

  has(oid: string): boolean {
    return this.get(oid) >= 0;
  }

  /** The hex object id numbered `id`. */
  oid(id: number): string {
    if (id < 0 || id >= this.count) throw new RangeError(`no object number ${id}`);
    return this.bytes.toString("hex", id * this.width, (id + 1) * this.width);
  }

  /** Writes `oid` in the spare slot after the last id and returns the table slot that holds it or where it belongs. */
  private find(oid: string): number {
    const width = oid.length >>> 1;
    if (this.width === 0) {
      if (width !== 20 && width !== 32) throw new RangeError("not a full object id");
      this.width = width;
      this.bytes = Buffer.alloc(this.initialCapacity * width);
    } else if (width !== this.width) {
      throw new RangeError("object ids of different lengths");
    }
    if ((this.count + 1) * width > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    const at = this.count * width;
    if (this.bytes.write(oid, at, width, "hex") !== width) throw new RangeError("not a full object id");
    let slot = this.bytes.readUInt32LE(at) & this.mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) return slot;
      const other = (entry - 1) * width;
      if (this.bytes.compare(this.bytes, other, other + width, at, at + width) === 0) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = this.bytes.readUInt32LE(id * this.width) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
