/**
 * BM25F parameters (Robertson, Zaragoza & Taylor 2004, "Simple BM25 extension to multiple
 * weighted fields"): per field a weight and a length normalisation b; one saturation k1
 * applied after the weighted, normalised term frequencies of all fields are summed.
 */
import { FIELD_COUNT, FIELDS, type FieldName } from './search-document.js';

export interface FieldParams {
  weight: number;
  b: number;
}

export interface Bm25fParams {
  k1: number;
  fields: Record<FieldName, FieldParams>;
}

/**
 * Defaults: the best mean nDCG@10 of the grid in `eval/tune-lexical.ts` on the training splits
 * only (SciFact train, NFCorpus dev), never on a test split. The surface is flat (the whole
 * grid spans 0.500-0.509), so these are a sensible point rather than a sharp optimum. The
 * authors field is not judged by any collection; it keeps weight 1 so names find papers.
 */
export const DEFAULT_BM25F_PARAMS: Bm25fParams = {
  k1: 1.2,
  fields: {
    title: { weight: 3, b: 0.75 },
    abstract: { weight: 1, b: 0.4 },
    authors: { weight: 1, b: 0.5 },
  },
};

/** Robertson-Sparck Jones idf as Lucene computes it; never negative. */
export function bm25Idf(docCount: number, df: number): number {
  return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}

/** Per-field constants for one scoring pass: norm_f(len) = c1_f + c2_f * len. */
export interface FieldNorms {
  weight: Float64Array;
  c1: Float64Array;
  c2: Float64Array;
}

export function fieldNorms(params: Bm25fParams, averageLengths: ArrayLike<number>): FieldNorms {
  const weight = new Float64Array(FIELD_COUNT);
  const c1 = new Float64Array(FIELD_COUNT);
  const c2 = new Float64Array(FIELD_COUNT);
  FIELDS.forEach((name, f) => {
    const { weight: w, b } = params.fields[name];
    const avg = averageLengths[f] ?? 0;
    weight[f] = w;
    c1[f] = 1 - b;
    // A field no document has yet (avg 0) has no tf either; keep the norm finite.
    c2[f] = avg > 0 ? b / avg : 0;
    if (c1[f]! + c2[f]! <= 0) c1[f] = 1;
  });
  return { weight, c1, c2 };
}

export function validateParams(params: Bm25fParams): void {
  if (!(params.k1 > 0)) throw new RangeError('k1 must be positive');
  for (const name of FIELDS) {
    const { weight, b } = params.fields[name];
    if (!(weight >= 0)) throw new RangeError(`${name}.weight must be >= 0`);
    if (!(b >= 0 && b <= 1)) throw new RangeError(`${name}.b must be within [0, 1]`);
  }
}
