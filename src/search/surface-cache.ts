/**
 * Raw word (as written) -> what the analyzer made of it, looked up by a slice of the text being
 * scanned without cutting the slice out. Indexing a million papers reads a hundred million
 * words, and with a large vocabulary each lookup used to chase five or six objects scattered
 * over the heap (key string, value, term slot), so memory latency was most of the tokenizer's
 * time. Here a lookup touches three flat arrays: the open-addressing table (hash and entry
 * side by side), the entry's record (key offset, length, flags, term id) and the key's code
 * units in one pool, where the words seen first (the frequent ones) sit close together.
 */
/** FNV-1a, which the tokenizer computes as it reads a word. */
export const SURFACE_HASH_SEED = 0x811c9dc5 | 0;
export const SURFACE_HASH_PRIME = 16777619;
const FNV_SEED = SURFACE_HASH_SEED;
const FNV_PRIME = SURFACE_HASH_PRIME;
/** Entry record: key offset in the pool, key length, flags, term id in `idOwner`'s ids. */
const RECORD = 4;

export const SURFACE_USABLE = 1;
export const SURFACE_STOP = 2;
export const SURFACE_ACRONYM = 4;

export class SurfaceCache<T> {
  /** Per slot: hash, then entry + 1 (0 = empty). */
  private table = new Int32Array(0);
  private mask = 0;
  /** Per entry: RECORD int32s (see above). */
  records = new Int32Array(0);
  private pool = new Uint16Array(0);
  private poolUsed = 0;
  private values: T[] = [];
  /** Whose term ids the records hold; ids are forgotten when another interner asks. */
  private idOwner: unknown = null;

  constructor(private readonly maxEntries: number) {
    this.reset();
  }

  get size(): number {
    return this.values.length;
  }

  /** FNV-1a over the code units of s[start, end). */
  static hash(s: string, start: number, end: number): number {
    let h = FNV_SEED;
    for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
    return h;
  }

  /** Entry of s[start, end) with hash `h`, or -1. */
  find(s: string, start: number, end: number, h: number): number {
    const table = this.table;
    const mask = this.mask;
    const length = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot * 2 + 1]! - 1;
      if (entry < 0) return -1;
      if (table[slot * 2] !== h) continue;
      const r = entry * RECORD;
      if (this.records[r + 1] !== length) continue;
      const pool = this.pool;
      let at = this.records[r]!;
      let i = start;
      while (i < end && pool[at] === s.charCodeAt(i)) {
        i++;
        at++;
      }
      if (i === end) return entry;
    }
  }

  /** Adds s[start, end) (not present) and returns its entry. Entries stay valid until `trim`. */
  add(s: string, start: number, end: number, h: number, flags: number, value: T): number {
    const entry = this.values.length;
    const length = end - start;
    if (this.poolUsed + length > this.pool.length) this.pool = grown(this.pool, this.poolUsed + length, (n) => new Uint16Array(n));
    for (let i = start; i < end; i++) this.pool[this.poolUsed++] = s.charCodeAt(i);
    if ((entry + 1) * RECORD > this.records.length) this.records = grown(this.records, (entry + 1) * RECORD, (n) => new Int32Array(n));
    const r = entry * RECORD;
    this.records[r] = this.poolUsed - length;
    this.records[r + 1] = length;
    this.records[r + 2] = flags;
    this.records[r + 3] = -1;
    this.values.push(value);
    if ((entry + 1) * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    this.insert(h, entry);
    return entry;
  }

  value(entry: number): T {
    return this.values[entry]!;
  }

  flags(entry: number): number {
    return this.records[entry * RECORD + 2]!;
  }

  /** The entry's term id in `owner`'s dictionary, or -1 when not known yet. */
  termId(entry: number, owner: unknown): number {
    if (owner !== this.idOwner) {
      for (let r = 3; r < this.values.length * RECORD; r += RECORD) this.records[r] = -1;
      this.idOwner = owner;
    }
    return this.records[entry * RECORD + 3]!;
  }

  /** Remembers the entry's id in the dictionary last passed to `termId`. */
  setTermId(entry: number, id: number): void {
    this.records[entry * RECORD + 3] = id;
  }

  /** Starts afresh when over the bound; call only between texts (entries held elsewhere die). */
  trim(): void {
    if (this.values.length > this.maxEntries) this.reset();
  }

  private reset(): void {
    this.table = new Int32Array(4096 * 2);
    this.mask = 4095;
    this.records = new Int32Array(1024 * RECORD);
    this.pool = new Uint16Array(8192);
    this.poolUsed = 0;
    this.values = [];
  }

  private insert(h: number, entry: number): void {
    let slot = h & this.mask;
    while (this.table[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
    this.table[slot * 2] = h;
    this.table[slot * 2 + 1] = entry + 1;
  }

  private rehash(capacity: number): void {
    const old = this.table;
    this.table = new Int32Array(capacity * 2);
    this.mask = capacity - 1;
    for (let slot = 0; slot < old.length; slot += 2) if (old[slot + 1] !== 0) this.insert(old[slot]!, old[slot + 1]! - 1);
  }
}

function grown<T extends Uint16Array | Int32Array>(array: T, need: number, make: (capacity: number) => T): T {
  let capacity = array.length * 2;
  while (capacity < need) capacity *= 2;
  const out = make(capacity);
  out.set(array);
  return out;
}
