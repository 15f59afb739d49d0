/**
 * "For you": ranks candidate papers for one member with a linear classifier trained on the
 * member's positives (upvotes and library) against sampled negatives, as arxiv-sanity does with
 * SVMs. Features are hashed TF-IDF over title and abstract (hashed-tfidf.ts) and, when the caller
 * has them, the papers' learned vectors from the search engine (the representations search by
 * meaning uses), appended as dense features so the model can also like a paper for what it is
 * about in other words; the model is logistic regression (logistic-regression.ts). Pure: the
 * caller supplies the papers, as text (`recommendForUser`) or as term counts it already has
 * (`recommendFromCounts`).
 */
import { createScientificAnalyzer, type Analyzer } from '../search/tokenizer.js';
import { createHashedTfidf, DEFAULT_DIMENSIONS, type BucketCounts, type HashedTfidf, type SparseVector } from './hashed-tfidf.js';
import { trainLogisticRegression, type TrainingExample } from './logistic-regression.js';

export interface PaperText {
  /** The caller's identifier (an arXiv id). */
  readonly key: string;
  readonly title: string;
  readonly abstract: string;
}

/** A paper as its term counts (see `paperFeatures`). */
export interface PaperCounts {
  readonly key: string;
  readonly counts: BucketCounts;
  /** The paper's learned vector (unit length), when the search engine has one. */
  readonly vector?: Float32Array | null;
}

/**
 * Weight of the learned vector next to the (unit-length) TF-IDF vector; 0 leaves it out.
 * Chosen on the train members of `paperboy eval-for-you` (nDCG@10: 0 words only 0.4535, 0.25
 * 0.4789, 0.5 0.4957, 0.75 0.4954, 1 0.4828, 2 0.4290).
 */
export const DEFAULT_VECTOR_WEIGHT = 0.5;

export interface RankOptions {
  limit: number;
  /** Seed of the training order; the same input and seed give the same ranking. */
  seed: number;
  dimensions?: number;
  /** Weight of the papers' learned vectors (default DEFAULT_VECTOR_WEIGHT). */
  vectorWeight?: number;
}

export interface Recommendation {
  key: string;
  /** Estimated probability that the member likes the paper, 0..1. */
  score: number;
}

let sharedAnalyzer: Analyzer | undefined;

/** The hashing TF-IDF used for papers (the search engine's scientific analyzer, 2^18 buckets by default). */
export function paperFeatures(options: { analyzer?: Pick<Analyzer, 'terms'>; dimensions?: number } = {}): HashedTfidf & { countPaper(p: Pick<PaperText, 'title' | 'abstract'>): BucketCounts } {
  const tfidf = createHashedTfidf(options.analyzer ?? (sharedAnalyzer ??= createScientificAnalyzer()), { dimensions: options.dimensions ?? DEFAULT_DIMENSIONS });
  // Title and abstract as one text; the title counts twice, being the denser summary.
  return { ...tfidf, countPaper: (p) => tfidf.count(`${p.title}\n${p.title}\n${p.abstract}`) };
}

/**
 * The `limit` best candidates, best first; ties keep the candidates' order (the caller passes
 * them newest first). Empty when there are no positives or no candidates. All counts must come
 * from features with `options.dimensions` buckets.
 */
export function recommendFromCounts(input: { positives: readonly PaperCounts[]; negatives: readonly PaperCounts[]; candidates: readonly PaperCounts[] }, options: RankOptions): Recommendation[] {
  if (input.positives.length === 0 || input.candidates.length === 0 || options.limit <= 0) return [];
  const dimensions = options.dimensions ?? DEFAULT_DIMENSIONS;
  const all = [...input.positives, ...input.negatives, ...input.candidates];
  // IDF over the documents at hand; the weighting is cheap next to tokenizing.
  const tfidf = paperFeatures({ dimensions, analyzer: { terms: () => [] } }).weigh(all.map((p) => p.counts));
  const { vectors, width } = withLearnedVectors(tfidf, all, dimensions, options.vectorWeight ?? DEFAULT_VECTOR_WEIGHT);
  const examples: TrainingExample[] = [];
  for (let i = 0; i < input.positives.length; i++) examples.push({ x: vectors[i]!, y: 1 });
  for (let i = 0; i < input.negatives.length; i++) examples.push({ x: vectors[input.positives.length + i]!, y: 0 });
  const model = trainLogisticRegression(examples, { dimensions: width, seed: options.seed });
  const offset = input.positives.length + input.negatives.length;
  return input.candidates
    .map((c, i) => ({ key: c.key, margin: model.score(vectors[offset + i]!), probability: model.probability(vectors[offset + i]!), i }))
    .sort((a, b) => b.margin - a.margin || a.i - b.i)
    .slice(0, options.limit)
    .map((r) => ({ key: r.key, score: r.probability }));
}

/**
 * Appends each paper's learned vector, times `weight`, after the `dimensions` TF-IDF buckets. A
 * paper without one (not embedded yet) has zeros there; without any, the TF-IDF vectors as they are.
 */
function withLearnedVectors(tfidf: SparseVector[], papers: readonly PaperCounts[], dimensions: number, weight: number): { vectors: SparseVector[]; width: number } {
  const width = weight > 0 ? (papers.find((p) => p.vector)?.vector?.length ?? 0) : 0;
  if (width === 0) return { vectors: tfidf, width: dimensions };
  const vectors = tfidf.map((x, i) => {
    const v = papers[i]!.vector;
    if (!v || v.length !== width) return x;
    const indices = new Int32Array(x.indices.length + width);
    const values = new Float32Array(x.values.length + width);
    indices.set(x.indices);
    values.set(x.values);
    for (let j = 0; j < width; j++) {
      indices[x.indices.length + j] = dimensions + j;
      values[x.values.length + j] = weight * v[j]!;
    }
    return { indices, values };
  });
  return { vectors, width: dimensions + width };
}

/** `recommendFromCounts` over papers given as text. */
export function recommendForUser(input: { positives: readonly PaperText[]; negatives: readonly PaperText[]; candidates: readonly PaperText[]; analyzer?: Pick<Analyzer, 'terms'> } & RankOptions): Recommendation[] {
  const features = paperFeatures({ ...(input.analyzer ? { analyzer: input.analyzer } : {}), ...(input.dimensions ? { dimensions: input.dimensions } : {}) });
  const counted = (papers: readonly PaperText[]) => papers.map((p) => ({ key: p.key, counts: features.countPaper(p) }));
  return recommendFromCounts({ positives: counted(input.positives), negatives: counted(input.negatives), candidates: counted(input.candidates) }, { limit: input.limit, seed: input.seed, dimensions: features.dimensions });
}
