/**
 * An immutable block of postings in compressed-sparse-row form: for each term present (sorted
 * global term ids) a contiguous run of ascending doc ids with one tf byte per field. Also
 * holds, per term, an upper bound of its BM25F pseudo-frequency over the segment, which is
 * what lets MaxScore skip documents without changing the top-k.
 */
import { type FieldNorms } from './bm25f-params.js';
import { FIELD_COUNT } from './search-document.js';

/** Headroom on average field lengths when bounds are computed, so small growth keeps them valid. */
const BOUND_CAP_HEADROOM = 1.25;

export class PostingSegment {
  /** maxTt[t]: max over the term's postings of sum_f w_f tf_f / norm_f, computed at `boundCaps`. */
  private maxTt: Float64Array | null = null;
  private boundCaps = new Float64Array(FIELD_COUNT);
  private boundParamsVersion = -1;

  constructor(
    readonly termIds: Uint32Array,
    readonly offsets: Uint32Array,
    readonly docs: Uint32Array,
    readonly tfs: Uint8Array,
  ) {}

  get postingCount(): number {
    return this.docs.length;
  }

  /** Local index of a global term id, or -1. */
  findTerm(termId: number): number {
    const ids = this.termIds;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid]!;
      if (v < termId) lo = mid + 1;
      else if (v > termId) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /**
   * Upper bounds valid for scoring with `params` at the current `averages`. Tt grows with the
   * average length (the norm shrinks), so bounds computed at a cap above today's averages stay
   * valid until an average passes its cap or the parameters change.
   */
  bounds(paramsVersion: number, makeNorms: (averages: ArrayLike<number>) => FieldNorms, averages: Float64Array, lengths: Uint16Array): Float64Array {
    let valid = this.maxTt !== null && this.boundParamsVersion === paramsVersion;
    for (let f = 0; valid && f < FIELD_COUNT; f++) if (averages[f]! > this.boundCaps[f]!) valid = false;
    if (valid) return this.maxTt!;
    const caps = new Float64Array(FIELD_COUNT);
    for (let f = 0; f < FIELD_COUNT; f++) caps[f] = averages[f]! * BOUND_CAP_HEADROOM;
    const { weight, c1, c2 } = makeNorms(caps);
    const maxTt = new Float64Array(this.termIds.length);
    const { offsets, docs, tfs } = this;
    for (let t = 0; t < maxTt.length; t++) {
      let best = 0;
      for (let p = offsets[t]!; p < offsets[t + 1]!; p++) {
        const d = docs[p]! * FIELD_COUNT;
        const q = p * FIELD_COUNT;
        let tt = 0;
        for (let f = 0; f < FIELD_COUNT; f++) {
          const tf = tfs[q + f]!;
          if (tf !== 0) tt += (weight[f]! * tf) / (c1[f]! + c2[f]! * lengths[d + f]!);
        }
        if (tt > best) best = tt;
      }
      maxTt[t] = best;
    }
    this.maxTt = maxTt;
    this.boundCaps = caps;
    this.boundParamsVersion = paramsVersion;
    return maxTt;
  }
}
