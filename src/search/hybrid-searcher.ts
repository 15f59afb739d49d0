/**
 * Hybrid search, the one code path the product, `paperboy eval` and `bench search` run: the
 * lexical index's top candidates and the nearest papers in the vector space, fused (linear
 * blend by default, see hybrid-fusion.ts). The caller supplies the query vector, so any
 * embedding provider (synchronous or not) can feed it. The vector side is any KeyedVectors:
 * the product's PaperVectors, or an AnnIndex over a key list (our IVF, or the usearch peer).
 *
 * Before the vector side is searched, the query vector is moved towards the vectors of the
 * best lexical candidates (pseudo-relevance feedback in the vector space, Rocchio-style): a
 * short query's own vector knows few words, while the papers it matches literally carry the
 * whole vocabulary of their topic, so the nearest papers then include those that say the same
 * thing in other words. Chosen on the training splits (see DEFAULT_FEEDBACK_DOCS).
 */
import { type ScoredKey, linearFusion, reciprocalRankFusion } from './hybrid-fusion.js';
import { calibrateHybridProbes, type HybridProbeCalibration } from './hybrid-probe-calibration.js';
import type { KeyedVectors, NearestOptions } from './keyed-vectors.js';
import type { LexicalIndex } from './lexical-index.js';
import type { SearchFilter } from './search-filter.js';

export interface HybridOptions extends NearestOptions {
  /** Weight of the dense side in the linear blend (chosen on training splits; see tune-hybrid.ts). */
  alpha?: number;
  /** Use reciprocal rank fusion instead of the linear blend. */
  fusion?: 'linear' | 'rrf';
  /** Candidates taken from each side (default: max(limit, DEFAULT_HYBRID_DEPTH)); the blend of both sides holds up to twice as many. */
  depth?: number;
  /** Lexical candidates whose vectors refine the query vector (0: the query's own vector only). */
  feedbackDocs?: number;
}

export interface HybridSearchOptions extends HybridOptions {
  limit?: number;
  filter?: SearchFilter;
}

export const DEFAULT_HYBRID_ALPHA = 0.3;
/**
 * Candidates per side for a first page. On the training splits (SciFact train, NFCorpus dev)
 * nDCG@10 was the same from 20 candidates up to 1000 (0.7094 / 0.3220-0.3223), and each side's
 * top 100 costs several times its top 30 at a million papers.
 */
export const DEFAULT_HYBRID_DEPTH = 30;
/**
 * Feedback from the 5 best lexical candidates, each weighted by its BM25F score relative to the
 * best one, their weighted mean added to the query's own vector. Dense-side nDCG@10 on the
 * training splits, query vector alone -> unweighted mean of 5 -> weighted: SciFact train
 * 0.587 -> 0.616 -> 0.651 (10, 20 and 50 documents were worse either way).
 */
export const DEFAULT_FEEDBACK_DOCS = 5;

export class HybridSearcher {
  constructor(
    readonly lexical: LexicalIndex,
    readonly vectors: KeyedVectors,
    private readonly defaults: HybridOptions = {},
  ) {}

  /** Probes chosen by `calibrateProbes` (undefined: the options' or the index's own breadth). */
  calibratedProbes: number | undefined;

  search(query: string, queryVector: Float32Array, options: HybridSearchOptions = {}): ScoredKey[] {
    return this.searchWithVector(query, queryVector, options).hits;
  }

  /** `search`, also returning the query vector after feedback (what the vector side searched with). */
  searchWithVector(query: string, queryVector: Float32Array, options: HybridSearchOptions = {}): { hits: ScoredKey[]; vector: Float32Array; lexicalFull: boolean } {
    const limit = options.limit ?? 10;
    const depth = options.depth ?? Math.max(limit, this.defaults.depth ?? DEFAULT_HYBRID_DEPTH);
    const lexical = this.lexical.search(query, { limit: depth, ...(options.filter ? { filter: options.filter } : {}) });
    const blended = this.blendWithVector(lexical, queryVector, { ...options, depth });
    // A full lexical side means more papers contain the query's words than were blended.
    return { hits: blended.hits.slice(0, limit), vector: blended.vector, lexicalFull: lexical.length >= depth };
  }

  /**
   * The lexical candidates blended with the vector side's `depth` nearest papers (all of them,
   * best first). Exposed so a caller that re-blends the same candidates many times (the breadth
   * calibration) searches the lexical side once.
   */
  blend(lexical: readonly ScoredKey[], queryVector: Float32Array, options: HybridSearchOptions = {}): ScoredKey[] {
    return this.blendWithVector(lexical, queryVector, options).hits;
  }

  private blendWithVector(lexical: readonly ScoredKey[], queryVector: Float32Array, options: HybridSearchOptions): { hits: ScoredKey[]; vector: Float32Array } {
    const o = { ...this.defaults, ...options };
    const probes = options.probes ?? this.calibratedProbes ?? this.defaults.probes;
    const depth = o.depth ?? DEFAULT_HYBRID_DEPTH;
    const vector = this.withFeedback(queryVector, lexical, o.feedbackDocs ?? DEFAULT_FEEDBACK_DOCS);
    const nearestOptions: NearestOptions = { ...(o.exact ? { exact: true } : {}), ...(probes !== undefined && !o.exact ? { probes } : {}) };
    const dense = this.vectors.nearest(vector, depth, this.keyFilter(o.filter) ?? undefined, nearestOptions);
    const hits =
      o.fusion === 'rrf'
        ? reciprocalRankFusion([lexical, dense])
        : linearFusion(lexical, dense, o.alpha ?? DEFAULT_HYBRID_ALPHA, (key) => this.vectors.cosine(key, vector));
    return { hits, vector };
  }

  /**
   * The query vector plus the mean vector of the `docs` best lexical candidates, each weighted by
   * its score relative to the best, renormalized. A query that shares no word with the model
   * (zero vector) is then represented by its candidates alone.
   */
  withFeedback(queryVector: Float32Array, lexical: readonly ScoredKey[], docs: number): Float32Array {
    if (docs <= 0 || lexical.length === 0) return queryVector;
    const out = Float32Array.from(queryVector);
    let weights = 0;
    const best = lexical[0]!.score;
    const feedback = new Float32Array(out.length);
    for (const hit of lexical.slice(0, docs)) {
      const v = this.vectors.vectorOf(hit.key);
      if (!v) continue;
      const w = best > 0 ? hit.score / best : 1;
      for (let i = 0; i < out.length; i++) feedback[i]! += w * v[i]!;
      weights += w;
    }
    if (weights <= 0) return queryVector;
    let norm = 0;
    for (let i = 0; i < out.length; i++) {
      out[i]! += feedback[i]! / weights;
      norm += out[i]! * out[i]!;
    }
    if (norm === 0) return queryVector;
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < out.length; i++) out[i]! *= inv;
    return out;
  }

  /**
   * Chooses the IVF breadth of hybrid queries (hybrid-probe-calibration.ts): the smallest, from
   * the index's dense-only breadth down, whose first pages agree with those of an exact vector
   * search on these queries. Leaves the dense-only breadth (`similar`) alone.
   */
  async calibrateProbes(
    queries: readonly { text: string; vector: Float32Array }[],
    options: { limit?: number; target?: number; pause?: () => Promise<void> } = {},
  ): Promise<HybridProbeCalibration | null> {
    const from = this.vectors.defaultProbes;
    if (from === undefined) return null;
    const limit = options.limit ?? 10;
    const depth = Math.max(limit, this.defaults.depth ?? DEFAULT_HYBRID_DEPTH);
    // A query sharing no word with the model has no dense side of its own: every paper ties, so no page is "the" exact one.
    const usable = queries.filter((q) => q.vector.some((x) => x !== 0));
    const lexical = usable.map((q) => this.lexical.search(q.text, { limit: depth }));
    const calibration = await calibrateHybridProbes({
      from,
      queries: usable.length,
      topKeys: (i, probes) =>
        this.blend(lexical[i]!, usable[i]!.vector, { depth, ...(probes === null ? { exact: true } : { probes, exact: false }) })
          .slice(0, limit)
          .map((h) => h.key),
      ...(options.target !== undefined ? { target: options.target } : {}),
      ...(options.pause ? { pause: options.pause } : {}),
    });
    this.calibratedProbes = calibration.probes;
    return calibration;
  }

  /** Keys allowed by the filter and still in the lexical index; null when every vector is (the fast path). */
  private keyFilter(filter: SearchFilter | undefined): ((key: string) => boolean) | null {
    if (filter) {
      const keep = this.lexical.keyFilter(filter);
      return (key) => this.lexical.has(key) && keep(key);
    }
    if (this.lexical.deletedCount === 0 && this.lexical.size >= this.vectors.size) return null;
    return (key) => this.lexical.has(key);
  }

  /**
   * Nearest papers to the paper `key` in the vector space (itself excluded), for the paper
   * page's "similar papers"; scans the index's own (dense-only) breadth. Empty when the paper
   * has no vector and no `fallbackQuery` (e.g. its title) to search lexically instead.
   */
  similar(key: string, options: { limit?: number; fallbackQuery?: string; filter?: SearchFilter } = {}): ScoredKey[] {
    const limit = options.limit ?? 10;
    const vector = this.vectors.vectorOf(key);
    if (!vector) {
      if (!options.fallbackQuery) return [];
      return this.lexical
        .search(options.fallbackQuery, { limit: limit + 1, ...(options.filter ? { filter: options.filter } : {}) })
        .filter((h) => h.key !== key)
        .slice(0, limit);
    }
    const accept = this.keyFilter(options.filter);
    return this.vectors.nearest(vector, limit, (k) => k !== key && (!accept || accept(k)), this.defaults.exact ? { exact: true } : {});
  }
}
