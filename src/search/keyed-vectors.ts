/**
 * The vector side of hybrid search as the hybrid searcher sees it: unit vectors addressed by the
 * same keys as the lexical index (arXiv ids in the product, document ids in evaluations). The
 * product's PaperVectors has this shape; `AnnKeyedVectors` gives it to a bare AnnIndex built
 * over a key list (evaluation, benchmarks), so all of them run through one searcher.
 */
import type { AnnIndex } from './dense/ann-index.js';
import type { ScoredKey } from './hybrid-fusion.js';

export interface NearestOptions {
  /** IVF lists to scan (ignored by other indexes). */
  probes?: number;
  /** Scan every vector. */
  exact?: boolean;
}

export interface KeyedVectors {
  /** Live vectors. */
  readonly size: number;
  /** The approximate index's own breadth for dense-only search (undefined: exact scan, or not a list index). */
  readonly defaultProbes: number | undefined;
  /** The k keys nearest to `query` (score desc), among those `accept` lets through. */
  nearest(query: Float32Array, k: number, accept?: (key: string) => boolean, options?: NearestOptions): ScoredKey[];
  /** Dot product of the key's vector with `query`; 0 when the key has none. */
  cosine(key: string, query: Float32Array): number;
  vectorOf(key: string): Float32Array | null;
}

export class AnnKeyedVectors implements KeyedVectors {
  private readonly rowOf: Map<string, number>;

  /** Row i of `index` belongs to `keys[i]`. */
  constructor(
    readonly index: AnnIndex,
    private readonly keys: readonly string[],
  ) {
    this.rowOf = new Map(keys.map((k, i) => [k, i]));
  }

  get size(): number {
    return this.keys.length;
  }

  get defaultProbes(): number | undefined {
    return this.index.probes;
  }

  nearest(query: Float32Array, k: number, accept?: (key: string) => boolean, options: NearestOptions = {}): ScoredKey[] {
    return this.index
      .search(query, k, { ...(accept ? { accept: (row: number) => accept(this.keys[row]!) } : {}), ...options })
      .map((h) => ({ key: this.keys[h.id]!, score: h.score }));
  }

  cosine(key: string, query: Float32Array): number {
    const row = this.rowOf.get(key);
    return row === undefined ? 0 : this.index.similarity(row, query);
  }

  vectorOf(key: string): Float32Array | null {
    const row = this.rowOf.get(key);
    return row === undefined || !this.index.has(row) ? null : this.index.vectorOf(row);
  }
}
