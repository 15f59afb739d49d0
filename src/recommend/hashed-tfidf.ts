/**
 * Paper features for the per-user recommender: TF-IDF over title and abstract terms with the
 * hashing trick. Terms come from the search engine's scientific analyzer (so "3D+T", TeX and
 * stemming are handled as in search); each term lands in one of `dimensions` buckets with a
 * sign from a second hash bit, which keeps collisions unbiased without a stored vocabulary.
 * Document frequencies are counted over the documents at hand (the member's positives, the
 * sampled negatives and the candidates), so no global state is needed.
 */
import { fnv1a } from '../search/fnv1a.js';
import type { Analyzer } from '../search/tokenizer.js';

/** A sparse, L2-normalized vector: sorted bucket indices and their values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export interface HashedTfidfOptions {
  /** Number of hash buckets; a power of two (default 2^18). */
  dimensions?: number;
}

export const DEFAULT_DIMENSIONS = 1 << 18;

/** FNV-1a over UTF-16 code units (search/fnv1a.ts); fast, stable across runs and platforms. */
export function hashTerm(term: string): number {
  return fnv1a(term);
}

/**
 * Term counts per signed bucket of one document, before weighting. Tokenizing is most of the
 * cost, and counts do not depend on the other documents, so callers may keep them (per paper
 * version) and only redo the cheap weighting.
 */
export interface BucketCounts {
  readonly buckets: Int32Array;
  /** +count or -count (the sign hash), per bucket. */
  readonly counts: Float32Array;
}

export interface HashedTfidf {
  readonly dimensions: number;
  /** The bucket counts of one text. */
  count(text: string): BucketCounts;
  /** Vectors for documents' counts, in order, with IDF computed over exactly these documents. */
  weigh(docs: readonly BucketCounts[]): SparseVector[];
  /** `weigh(texts.map(count))`. */
  fitTransform(texts: readonly string[]): SparseVector[];
}

export function createHashedTfidf(analyzer: Pick<Analyzer, 'terms'>, options: HashedTfidfOptions = {}): HashedTfidf {
  const dimensions = options.dimensions ?? DEFAULT_DIMENSIONS;
  if (!Number.isInteger(Math.log2(dimensions))) throw new RangeError(`dimensions must be a power of two, got ${dimensions}`);
  const mask = dimensions - 1;

  function count(text: string): BucketCounts {
    const byBucket = new Map<number, number>();
    for (const term of analyzer.terms(text)) {
      const h = hashTerm(term);
      const bucket = h & mask;
      // The top bit decides the sign: colliding terms cancel on average instead of adding up.
      const sign = h & 0x80000000 ? -1 : 1;
      byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + sign);
    }
    const buckets = Int32Array.from([...byBucket.keys()].sort((a, b) => a - b));
    const counts = new Float32Array(buckets.length);
    for (let i = 0; i < buckets.length; i++) counts[i] = byBucket.get(buckets[i]!)!;
    return { buckets, counts };
  }

  function weigh(docs: readonly BucketCounts[]): SparseVector[] {
    const df = new Int32Array(dimensions);
    for (const d of docs) for (let i = 0; i < d.buckets.length; i++) df[d.buckets[i]!]!++;
    const n = docs.length;
    return docs.map(({ buckets, counts }) => {
      const values = new Float32Array(buckets.length);
      let norm = 0;
      for (let i = 0; i < buckets.length; i++) {
        const c = counts[i]!;
        if (c === 0) continue;
        // Sublinear tf and smoothed idf (as scikit-learn's TfidfVectorizer with sublinear_tf).
        const tf = 1 + Math.log(Math.abs(c));
        const idf = Math.log((1 + n) / (1 + df[buckets[i]!]!)) + 1;
        const v = Math.sign(c) * tf * idf;
        values[i] = v;
        norm += v * v;
      }
      norm = Math.sqrt(norm);
      if (norm > 0) for (let i = 0; i < values.length; i++) values[i] = values[i]! / norm;
      return { indices: buckets, values };
    });
  }

  return { dimensions, count, weigh, fitTransform: (texts) => weigh(texts.map(count)) };
}

export function dot(weights: Float32Array | Float64Array, x: SparseVector): number {
  let s = 0;
  for (let i = 0; i < x.indices.length; i++) s += weights[x.indices[i]!]! * x.values[i]!;
  return s;
}
