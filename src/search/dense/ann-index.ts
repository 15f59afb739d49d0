/**
 * What the hybrid searcher and the live engine need from a nearest-neighbour index over unit
 * vectors (cosine = dot product), whatever its structure: our IVF (vector-index.ts), or a
 * library index kept as a benchmark peer (usearch-index.ts). Ids are row numbers: 0..n-1 for
 * the vectors it was built from, then one more per `add`.
 */

export interface VectorHit {
  id: number;
  score: number;
}

export interface AnnSearchOptions {
  /** Only ids passing this are returned (filters). Removed ids never are. */
  accept?: (id: number) => boolean;
  /** Scan every vector (the reference the approximate search is measured against). */
  exact?: boolean;
  /** Lists to scan, for indexes made of lists (our IVF); others ignore it. */
  probes?: number;
}

export interface AnnIndex {
  readonly dimensions: number;
  /** Ids handed out so far (removed ones included). */
  readonly size: number;
  /** Lists scanned when a search does not say, for indexes made of lists (our IVF). */
  readonly probes?: number;
  search(query: Float32Array, k: number, options?: AnnSearchOptions): VectorHit[];
  /** Dot product of the stored vector `id` with `query`. */
  similarity(id: number, query: Float32Array): number;
  /** The stored vector of `id` (a view or copy; do not modify). */
  vectorOf(id: number): Float32Array;
  /** Appends a unit vector; returns its id. */
  add(vector: Float32Array): number;
  /** Tombstones `id`: it is never returned again. */
  remove(id: number): void;
  has(id: number): boolean;
  save(path: string): void;
}

/**
 * Mean recall@k of `index.search` against its exact search over `queries` (row-major).
 * Zero vectors (queries sharing no term with the model) are skipped: every document ties
 * for them, so no ranking is "the" exact one. `exactAnswers` may be given to reuse them.
 */
export function recallAgainstExact(
  index: Pick<AnnIndex, 'dimensions' | 'search'>,
  queries: Float32Array,
  k: number,
  search: (q: Float32Array) => VectorHit[] = (q) => index.search(q, k),
  exactAnswers?: readonly Set<number>[],
): number {
  const d = index.dimensions;
  let sum = 0;
  let used = 0;
  nonZeroRows(queries, d).forEach((q, i) => {
    const exact = exactAnswers?.[i] ?? new Set(index.search(q, k, { exact: true }).map((h) => h.id));
    const approx = search(q).slice(0, k);
    sum += exact.size === 0 ? 1 : approx.filter((h) => exact.has(h.id)).length / exact.size;
    used++;
  });
  return used === 0 ? 1 : sum / used;
}

/** The non-zero rows of a row-major matrix, as views. */
export function nonZeroRows(rows: Float32Array, d: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; (i + 1) * d <= rows.length; i++) {
    const q = rows.subarray(i * d, i * d + d);
    if (!q.every((x) => x === 0)) out.push(q);
  }
  return out;
}
