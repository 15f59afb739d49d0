/**
 * Append-only typed arrays that double their capacity, so the index keeps numbers in flat
 * memory instead of one JS object or boxed number per posting.
 */
type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export class GrowableArray<T extends TypedArray> {
  array: T;
  length = 0;

  constructor(
    private readonly make: (capacity: number) => T,
    capacity = 16,
  ) {
    this.array = make(Math.max(1, capacity));
  }

  push(value: number): void {
    if (this.length === this.array.length) this.reserve(this.length + 1);
    this.array[this.length++] = value;
  }

  /** Makes room for at least `capacity` elements in total. */
  reserve(capacity: number): void {
    if (capacity <= this.array.length) return;
    let next = this.array.length * 2;
    while (next < capacity) next *= 2;
    const grown = this.make(next);
    grown.set(this.array.subarray(0, this.length) as never);
    this.array = grown;
  }

  /** A view of the filled part (shares memory; invalid after the next growth). */
  view(): T {
    return this.array.subarray(0, this.length) as T;
  }

  /** A copy of exactly the filled part, for freezing. */
  toTrimmed(): T {
    return this.array.slice(0, this.length) as T;
  }

  clear(): void {
    this.length = 0;
  }

  /** A growable copy of `values`. */
  static fromArray<U extends TypedArray>(make: (capacity: number) => U, values: ArrayLike<number>): GrowableArray<U> {
    const g = new GrowableArray(make, values.length);
    g.array.set(values);
    g.length = values.length;
    return g;
  }
}

export const u8 = (n: number) => new Uint8Array(n);
export const u16 = (n: number) => new Uint16Array(n);
export const u32 = (n: number) => new Uint32Array(n);
export const i32 = (n: number) => new Int32Array(n);
