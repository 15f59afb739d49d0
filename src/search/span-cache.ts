/**
 * An open-addressing hash table keyed by a span of a larger string (text[start..end)) with a
 * hash the caller computed while scanning. The tokenizer looks every word up here without
 * slicing it out, so the common case (a word seen before) allocates nothing.
 */
export class SpanCache<V> {
  private keys: (string | undefined)[];
  private hashes: Int32Array;
  private values: (V | undefined)[];
  private count = 0;

  constructor(
    private readonly maxEntries = 1 << 20,
    capacity = 1 << 12,
  ) {
    this.keys = new Array<string | undefined>(capacity);
    this.hashes = new Int32Array(capacity);
    this.values = new Array<V | undefined>(capacity);
  }

  /** The hash `get` expects: the same rolling hash the scanner computes per char code. */
  static hash(s: string, start = 0, end = s.length): number {
    let h = 0;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return h;
  }

  get(s: string, start: number, end: number, hash: number): V | undefined {
    const mask = this.keys.length - 1;
    const length = end - start;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const key = this.keys[i];
      if (key === undefined) return undefined;
      if (this.hashes[i] === hash && key.length === length && sameSpan(key, s, start)) return this.values[i];
    }
  }

  set(key: string, hash: number, value: V): void {
    if (this.count >= this.maxEntries) this.clear();
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const existing = this.keys[i];
      if (existing === undefined) {
        this.keys[i] = key;
        this.hashes[i] = hash;
        this.values[i] = value;
        this.count++;
        return;
      }
      if (this.hashes[i] === hash && existing === key) {
        this.values[i] = value;
        return;
      }
    }
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.keys = new Array<string | undefined>(1 << 12);
    this.hashes = new Int32Array(1 << 12);
    this.values = new Array<V | undefined>(1 << 12);
    this.count = 0;
  }

  private grow(): void {
    const keys = this.keys;
    const hashes = this.hashes;
    const values = this.values;
    this.keys = new Array<string | undefined>(keys.length * 2);
    this.hashes = new Int32Array(keys.length * 2);
    this.values = new Array<V | undefined>(keys.length * 2);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== undefined) this.set(keys[i]!, hashes[i]!, values[i]!);
  }
}

function sameSpan(key: string, s: string, start: number): boolean {
  for (let j = 0; j < key.length; j++) if (key.charCodeAt(j) !== s.charCodeAt(start + j)) return false;
  return true;
}
