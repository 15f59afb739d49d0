/**
 * Per-document columns of the index, by dense doc id: external key, field lengths, liveness
 * (tombstones), publication day, categories and has-code flag, plus the collection totals
 * BM25F needs. Like Lucene, totals count tombstoned documents until the next compaction.
 */
import { GrowableArray, i32, u8, u16, u32 } from './growable-array.js';
import { FIELD_COUNT } from './search-document.js';

/** Publication day for documents without a date. */
export const NO_DAY = -2147483648;

export class DocTable {
  readonly keys: string[] = [];
  readonly docOf = new Map<string, number>();
  /** FIELD_COUNT lengths per document (in terms, clamped to 65535). */
  lengths = new GrowableArray(u16, 1024);
  live = new GrowableArray(u8, 1024);
  day = new GrowableArray(i32, 1024);
  hasCode = new GrowableArray(u8, 1024);
  categoryStart = new GrowableArray(u32, 1024);
  categoryIds = new GrowableArray(u16, 1024);
  readonly categoryNames: string[] = [];
  private readonly categoryIdOf = new Map<string, number>();
  readonly lengthTotals = new Float64Array(FIELD_COUNT);
  liveCount = 0;

  constructor() {
    this.categoryStart.push(0);
  }

  get docCount(): number {
    return this.keys.length;
  }

  append(key: string, lengths: ArrayLike<number>, day: number, hasCode: boolean, categories: readonly string[]): number {
    const doc = this.keys.length;
    this.keys.push(key);
    this.docOf.set(key, doc);
    for (let f = 0; f < FIELD_COUNT; f++) {
      const len = Math.min(65535, lengths[f] ?? 0);
      this.lengths.push(len);
      this.lengthTotals[f]! += len;
    }
    this.live.push(1);
    this.liveCount++;
    this.day.push(day);
    this.hasCode.push(hasCode ? 1 : 0);
    for (const c of categories) this.categoryIds.push(this.categoryId(c));
    this.categoryStart.push(this.categoryIds.length);
    return doc;
  }

  /** Marks a document deleted; its key becomes free for a new version. */
  kill(doc: number): void {
    if (this.live.array[doc] !== 1) return;
    this.live.array[doc] = 0;
    this.liveCount--;
    if (this.docOf.get(this.keys[doc]!) === doc) this.docOf.delete(this.keys[doc]!);
  }

  averageLengths(): Float64Array {
    const avg = new Float64Array(FIELD_COUNT);
    const n = this.docCount;
    for (let f = 0; f < FIELD_COUNT; f++) avg[f] = n > 0 ? this.lengthTotals[f]! / n : 0;
    return avg;
  }

  categoryId(name: string): number {
    let id = this.categoryIdOf.get(name);
    if (id === undefined) {
      id = this.categoryNames.length;
      if (id > 65535) throw new RangeError('more than 65,536 distinct categories');
      this.categoryNames.push(name);
      this.categoryIdOf.set(name, id);
    }
    return id;
  }

  /** Rebuilds a table from its columns (snapshot reload). */
  static restore(columns: {
    keys: string[];
    categoryNames: string[];
    lengths: Uint16Array;
    live: Uint8Array;
    day: Int32Array;
    hasCode: Uint8Array;
    categoryStart: Uint32Array;
    categoryIds: Uint16Array;
  }): DocTable {
    const t = new DocTable();
    for (const name of columns.categoryNames) t.categoryId(name);
    t.lengths = GrowableArray.fromArray(u16, columns.lengths);
    t.live = GrowableArray.fromArray(u8, columns.live);
    t.day = GrowableArray.fromArray(i32, columns.day);
    t.hasCode = GrowableArray.fromArray(u8, columns.hasCode);
    t.categoryStart = GrowableArray.fromArray(u32, columns.categoryStart);
    t.categoryIds = GrowableArray.fromArray(u16, columns.categoryIds);
    columns.keys.forEach((key, d) => {
      t.keys.push(key);
      if (columns.live[d] === 1) {
        t.docOf.set(key, d);
        t.liveCount++;
      }
      for (let f = 0; f < FIELD_COUNT; f++) t.lengthTotals[f]! += columns.lengths[d * FIELD_COUNT + f]!;
    });
    return t;
  }

  categoriesOf(doc: number): string[] {
    const out: string[] = [];
    for (let i = this.categoryStart.array[doc]!; i < this.categoryStart.array[doc + 1]!; i++) out.push(this.categoryNames[this.categoryIds.array[i]!]!);
    return out;
  }
}

/** Day number (days since 1970-01-01, UTC) of an ISO date or timestamp, or NO_DAY. */
export function dayNumber(iso: string | null | undefined): number {
  if (!iso) return NO_DAY;
  const ms = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isFinite(ms) ? Math.floor(ms / 86_400_000) : NO_DAY;
}
