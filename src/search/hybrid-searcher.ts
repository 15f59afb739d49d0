/**
 * Hybrid search: the lexical index's top candidates and the vector index's nearest papers,
 * fused (linear blend by default, see hybrid-fusion.ts). The caller supplies the query vector,
 * so any embedding provider (synchronous or not) can feed it. Vector row i belongs to key
 * `keys[i]`; filters apply to both candidate lists. The vector side is any AnnIndex: our IVF
 * (vector-index.ts) or the usearch peer the benchmark compares it with.
 */
import type { AnnIndex, AnnSearchOptions } from './dense/ann-index.js';
import { type ScoredKey, linearFusion, reciprocalRankFusion } from './hybrid-fusion.js';
import { calibrateHybridProbes, type HybridProbeCalibration } from './hybrid-probe-calibration.js';
import type { LexicalIndex } from './lexical-index.js';
import type { SearchFilter } from './search-filter.js';

export interface HybridOptions {
  /** Weight of the dense side in the linear blend (chosen on training splits; see tune-hybrid.ts). */
  alpha?: number;
  /** Use reciprocal rank fusion instead of the linear blend. */
  fusion?: 'linear' | 'rrf';
  /** Candidates taken from each side (default: max(limit, DEFAULT_HYBRID_DEPTH)). */
  depth?: number;
  /** IVF lists to probe (ignored by other indexes); `exact` scans all vectors. */
  probes?: number;
  exact?: boolean;
}

export const DEFAULT_HYBRID_ALPHA = 0.2;
/**
 * Candidates per side for a first page. On the training splits (SciFact train, NFCorpus dev)
 * nDCG@10 was the same from 20 candidates up to 1000 (0.7094 / 0.3220-0.3223), and each side's
 * top 100 costs several times its top 30 at a million papers.
 */
export const DEFAULT_HYBRID_DEPTH = 30;

export class HybridSearcher {
  private readonly rowOf: Map<string, number>;

  constructor(
    readonly lexical: LexicalIndex,
    readonly vectors: AnnIndex,
    private readonly keys: readonly string[],
    private readonly defaults: HybridOptions = {},
  ) {
    this.rowOf = new Map(keys.map((k, i) => [k, i]));
  }

  /** Probes chosen by `calibrateProbes` (undefined: the options' or the index's own breadth). */
  calibratedProbes: number | undefined;

  search(query: string, queryVector: Float32Array, options: HybridOptions & { limit?: number; filter?: SearchFilter } = {}): ScoredKey[] {
    const o = { ...this.defaults, ...options };
    const limit = o.limit ?? 10;
    const depth = Math.max(limit, o.depth ?? DEFAULT_HYBRID_DEPTH);
    const lexical = this.lexical.search(query, { limit: depth, ...(o.filter ? { filter: o.filter } : {}) });
    const probes = options.probes ?? this.calibratedProbes ?? this.defaults.probes;
    return this.fuse(lexical, queryVector, depth, { ...o, ...(probes !== undefined ? { probes } : {}) }).slice(0, limit);
  }

  /**
   * Chooses the IVF breadth of hybrid queries (hybrid-probe-calibration.ts): the smallest, from
   * the index's dense-only breadth down, whose first pages agree with those of an exact vector
   * search on these queries. Leaves the dense-only breadth (`similar`) alone.
   */
  async calibrateProbes(queries: readonly { text: string; vector: Float32Array }[], options: { limit?: number; target?: number } = {}): Promise<HybridProbeCalibration | null> {
    const from = this.vectors.probes;
    if (from === undefined) return null;
    const limit = options.limit ?? 10;
    const depth = Math.max(limit, this.defaults.depth ?? DEFAULT_HYBRID_DEPTH);
    // A query sharing no word with the model has no dense side: every paper ties, so no page is "the" exact one.
    const usable = queries.filter((q) => q.vector.some((x) => x !== 0));
    const lexical = usable.map((q) => this.lexical.search(q.text, { limit: depth }));
    const calibration = await calibrateHybridProbes({
      from,
      queries: usable.length,
      topKeys: (i, probes) =>
        this.fuse(lexical[i]!, usable[i]!.vector, depth, { ...this.defaults, ...(probes === null ? { exact: true } : { probes, exact: false }) })
          .slice(0, limit)
          .map((h) => h.key),
      ...(options.target !== undefined ? { target: options.target } : {}),
    });
    this.calibratedProbes = calibration.probes;
    return calibration;
  }

  /** The lexical candidates blended with the vector side's `depth` nearest papers. */
  private fuse(lexical: ScoredKey[], queryVector: Float32Array, depth: number, o: HybridOptions & { filter?: SearchFilter }): ScoredKey[] {
    const accept = this.rowFilter(o.filter);
    const vectorOptions: AnnSearchOptions = { ...(accept ? { accept } : {}), ...(o.exact ? { exact: true } : {}), ...(o.probes !== undefined ? { probes: o.probes } : {}) };
    const dense = this.vectors
      .search(queryVector, depth, vectorOptions)
      .map((h) => ({ key: this.keys[h.id]!, score: h.score }));
    return o.fusion === 'rrf'
      ? reciprocalRankFusion([lexical, dense])
      : linearFusion(lexical, dense, o.alpha ?? DEFAULT_HYBRID_ALPHA, (key) => {
          const row = this.rowOf.get(key);
          return row === undefined ? 0 : this.vectors.similarity(row, queryVector);
        });
  }

  /** Vector rows allowed by the filter and not deleted; null when every row is (the fast path). */
  private rowFilter(filter: SearchFilter | undefined): ((row: number) => boolean) | null {
    if (filter) {
      const keep = this.lexical.keyFilter(filter);
      return (row) => keep(this.keys[row]!);
    }
    if (this.lexical.deletedCount === 0 && this.lexical.size >= this.keys.length) return null;
    return (row) => this.lexical.has(this.keys[row]!);
  }

  /**
   * Nearest papers to the paper `key` in the vector space (itself excluded), for the paper
   * page's "similar papers". When the paper has no vector yet, `fallbackQuery` (e.g. its
   * title) is searched lexically instead.
   */
  similar(key: string, options: { limit?: number; fallbackQuery?: string; filter?: SearchFilter } = {}): ScoredKey[] {
    const limit = options.limit ?? 10;
    const row = this.rowOf.get(key);
    if (row === undefined) {
      if (!options.fallbackQuery) return [];
      return this.lexical
        .search(options.fallbackQuery, { limit: limit + 1, ...(options.filter ? { filter: options.filter } : {}) })
        .filter((h) => h.key !== key)
        .slice(0, limit);
    }
    const accept = this.rowFilter(options.filter);
    return this.vectors
      .search(this.vectors.vectorOf(row), limit, {
        accept: (r) => r !== row && (!accept || accept(r)),
        ...(this.defaults.exact ? { exact: true } : {}),
      })
      .map((h) => ({ key: this.keys[h.id]!, score: h.score }));
  }
}
