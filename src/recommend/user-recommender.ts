/**
 * "For you": ranks candidate papers for one member with a linear classifier trained on the
 * member's positives (upvotes and library) against sampled negatives, as arxiv-sanity does with
 * SVMs. Features are hashed TF-IDF over title and abstract (hashed-tfidf.ts), the model is
 * logistic regression (logistic-regression.ts). Pure: the caller supplies the papers.
 */
import { createScientificAnalyzer, type Analyzer } from '../search/tokenizer.js';
import { createHashedTfidf, DEFAULT_DIMENSIONS, type BucketCounts } from './hashed-tfidf.js';
import { trainLogisticRegression, type TrainingExample } from './logistic-regression.js';

export interface PaperText {
  /** The caller's identifier (an arXiv id). */
  readonly key: string;
  /** Changes whenever title or abstract may have (a change sequence); lets callers memoize features. */
  readonly version?: number;
  readonly title: string;
  readonly abstract: string;
}

export interface RecommendInput {
  positives: readonly PaperText[];
  negatives: readonly PaperText[];
  candidates: readonly PaperText[];
  limit: number;
  /** Seed of the training order; the same input and seed give the same ranking. */
  seed: number;
  analyzer?: Pick<Analyzer, 'terms'>;
  dimensions?: number;
  /**
   * Optional memo of a paper's bucket counts (tokenizing is most of the work, and the same
   * candidates are ranked for every member); `compute` gives the counts when the memo has none.
   */
  countsCache?: (paper: PaperText, compute: () => BucketCounts) => BucketCounts;
}

export interface Recommendation {
  key: string;
  /** Estimated probability that the member likes the paper, 0..1. */
  score: number;
}

let sharedAnalyzer: Analyzer | undefined;

/** Title and abstract as one text; the title counts twice, being the denser summary. */
function textOf(p: PaperText): string {
  return `${p.title}\n${p.title}\n${p.abstract}`;
}

/**
 * The `limit` best candidates, best first; ties keep the candidates' order (the caller passes
 * them newest first). Empty when there are no positives or no candidates.
 */
export function recommendForUser(input: RecommendInput): Recommendation[] {
  if (input.positives.length === 0 || input.candidates.length === 0 || input.limit <= 0) return [];
  const analyzer = input.analyzer ?? (sharedAnalyzer ??= createScientificAnalyzer());
  const dimensions = input.dimensions ?? DEFAULT_DIMENSIONS;
  const tfidf = createHashedTfidf(analyzer, { dimensions });
  const all = [...input.positives, ...input.negatives, ...input.candidates];
  const cache = input.countsCache;
  const vectors = tfidf.weigh(all.map((p) => (cache ? cache(p, () => tfidf.count(textOf(p))) : tfidf.count(textOf(p)))));
  const examples: TrainingExample[] = [];
  for (let i = 0; i < input.positives.length; i++) examples.push({ x: vectors[i]!, y: 1 });
  for (let i = 0; i < input.negatives.length; i++) examples.push({ x: vectors[input.positives.length + i]!, y: 0 });
  const model = trainLogisticRegression(examples, { dimensions, seed: input.seed });
  const offset = input.positives.length + input.negatives.length;
  return input.candidates
    .map((c, i) => ({ key: c.key, margin: model.score(vectors[offset + i]!), probability: model.probability(vectors[offset + i]!), i }))
    .sort((a, b) => b.margin - a.margin || a.i - b.i)
    .slice(0, input.limit)
    .map((r) => ({ key: r.key, score: r.probability }));
}
