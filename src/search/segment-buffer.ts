/**
 * Collects newly added documents as (term, per-field tf) entries in doc order and freezes them
 * into a PostingSegment with a counting sort by term. Doc ids arrive in ascending order, so
 * every posting list comes out sorted without a comparison sort.
 */
import { GrowableArray, u8, u32 } from './growable-array.js';
import { PostingSegment } from './posting-segment.js';
import { FIELD_COUNT } from './search-document.js';

export class SegmentBuffer {
  private readonly entryTerm = new GrowableArray(u32, 4096);
  private readonly entryTf = new GrowableArray(u8, 4096 * FIELD_COUNT);
  private readonly docIds = new GrowableArray(u32, 256);
  private readonly docEntryEnd = new GrowableArray(u32, 256);

  get docCount(): number {
    return this.docIds.length;
  }

  get entryCount(): number {
    return this.entryTerm.length;
  }

  /** Adds one document's distinct terms; `tfs` holds FIELD_COUNT values per term. */
  addDoc(doc: number, termIds: ArrayLike<number>, tfs: ArrayLike<number>, count: number): void {
    const last = this.docIds.length > 0 ? this.docIds.array[this.docIds.length - 1]! : -1;
    if (doc <= last) throw new Error('segment buffer needs ascending doc ids');
    this.entryTerm.reserve(this.entryTerm.length + count);
    this.entryTf.reserve(this.entryTf.length + count * FIELD_COUNT);
    for (let i = 0; i < count; i++) {
      this.entryTerm.array[this.entryTerm.length++] = termIds[i]!;
      for (let f = 0; f < FIELD_COUNT; f++) this.entryTf.array[this.entryTf.length++] = tfs[i * FIELD_COUNT + f]!;
    }
    this.docIds.push(doc);
    this.docEntryEnd.push(this.entryTerm.length);
  }

  /**
   * Builds the segment and empties the buffer. `scratch` is a zeroed array with a slot per
   * term id; it is handed back zeroed.
   */
  freeze(scratch: Uint32Array): PostingSegment {
    const entries = this.entryTerm.view();
    const touched: number[] = [];
    for (let i = 0; i < entries.length; i++) {
      const t = entries[i]!;
      const seen = scratch[t]!;
      scratch[t] = seen + 1;
      if (seen === 0) touched.push(t);
    }
    const termIds = Uint32Array.from(touched).sort();
    const offsets = new Uint32Array(termIds.length + 1);
    for (let i = 0; i < termIds.length; i++) {
      const t = termIds[i]!;
      offsets[i + 1] = offsets[i]! + scratch[t]!;
      scratch[t] = offsets[i]!; // from here on: write cursor
    }
    const docs = new Uint32Array(entries.length);
    const tfs = new Uint8Array(entries.length * FIELD_COUNT);
    const entryTf = this.entryTf.array;
    let e = 0;
    for (let d = 0; d < this.docIds.length; d++) {
      const doc = this.docIds.array[d]!;
      const end = this.docEntryEnd.array[d]!;
      for (; e < end; e++) {
        const p = scratch[entries[e]!]!++;
        docs[p] = doc;
        for (let f = 0; f < FIELD_COUNT; f++) tfs[p * FIELD_COUNT + f] = entryTf[e * FIELD_COUNT + f]!;
      }
    }
    for (const t of touched) scratch[t] = 0;
    this.entryTerm.clear();
    this.entryTf.clear();
    this.docIds.clear();
    this.docEntryEnd.clear();
    return new PostingSegment(termIds, offsets, docs, tfs);
  }
}
