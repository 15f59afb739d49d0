/**
 * How well "For you" ranks, on real arXiv records: simulated members, one per arXiv category
 * with enough papers, who upvoted papers of that category. Each member's positives are drawn
 * from the older part of the corpus (arXiv ids grow with time), negatives at random from the
 * rest of it as the service samples them, and the candidates are a random "period" of papers
 * from the newest tenth; a candidate is relevant when it is listed in the member's category
 * (primary = grade 2, cross-list = grade 1). The ranking is the product's (`recommendFromCounts`,
 * the service's feature counts); what varies is the weight of the papers' learned vectors.
 * Categories are split in two by their sorted position: the weight is chosen on the even ones
 * (`train`) and reported on the odd ones (`test`). Seeded: the same records give the same figures.
 */
import { ndcgAt, precisionAt } from '../search/eval/metrics.js';
import { seededRandom } from '../search/seeded-random.js';
import type { SearchDocument } from '../search/search-document.js';
import type { BucketCounts } from './hashed-tfidf.js';
import { paperFeatures, recommendFromCounts, type PaperCounts } from './user-recommender.js';

/** Categories with fewer older papers than this are not simulated. */
const MIN_CATEGORY_PAPERS = 60;
const POSITIVES = 20;
const NEGATIVES = 80;
const CANDIDATES = 2_000;
/** Share of the corpus, newest first, that candidates are drawn from. */
const NEWEST_SHARE = 0.1;

export type ForYouSplit = 'train' | 'test';

export interface ForYouFigures {
  split: ForYouSplit;
  weight: number;
  members: number;
  ndcg10: number;
  precision10: number;
}

interface Member {
  category: string;
  split: ForYouSplit;
  positives: number[];
  negatives: number[];
  candidates: number[];
}

/** Orders arXiv ids by time: `0704.0001` (new style) after `cs/0612001` (old style), then by number. */
function timeKey(arxivId: string): string {
  const slash = arxivId.indexOf('/');
  if (slash < 0) return `1${arxivId.replace(/^(\d{4})\.(\d+)/, (_, yymm: string, n: string) => `${Number(yymm.slice(0, 2)) < 90 ? '20' : '19'}${yymm}.${n.padStart(5, '0')}`)}`;
  const number = arxivId.slice(slash + 1);
  return `0${Number(number.slice(0, 2)) < 90 ? '20' : '19'}${number}`;
}

function sample(random: () => number, from: readonly number[], count: number): number[] {
  const pool = [...from];
  const out: number[] = [];
  while (out.length < count && pool.length > 0) {
    const i = Math.floor(random() * pool.length);
    out.push(pool[i]!);
    pool[i] = pool[pool.length - 1]!;
    pool.pop();
  }
  return out;
}

function simulateMembers(documents: readonly SearchDocument[], seed: number): Member[] {
  const order = documents.map((_, i) => i).sort((a, b) => (timeKey(documents[a]!.key) < timeKey(documents[b]!.key) ? -1 : 1));
  const newestFrom = Math.floor(order.length * (1 - NEWEST_SHARE));
  const older = order.slice(0, newestFrom);
  const newest = order.slice(newestFrom);
  const byPrimary = new Map<string, number[]>();
  for (const i of older) {
    const primary = documents[i]!.categories?.[0];
    if (primary) byPrimary.set(primary, [...(byPrimary.get(primary) ?? []), i]);
  }
  const categories = [...byPrimary.keys()].filter((c) => byPrimary.get(c)!.length >= MIN_CATEGORY_PAPERS).sort();
  return categories.map((category, position) => {
    const random = seededRandom(seed + position * 7919);
    const positives = sample(random, byPrimary.get(category)!, POSITIVES);
    const taken = new Set(positives);
    const negatives = sample(random, older, NEGATIVES + POSITIVES).filter((i) => !taken.has(i)).slice(0, NEGATIVES);
    return { category, split: position % 2 === 0 ? 'train' : 'test', positives, negatives, candidates: sample(random, newest, CANDIDATES) };
  });
}

/**
 * nDCG@10 and precision@10 of "For you" for each split and each weight of the learned vectors.
 * `vectors` holds one unit vector per document, `dimensions` floats each, in document order.
 */
export function evaluateForYou(documents: readonly SearchDocument[], vectors: Float32Array | null, dimensions: number, weights: readonly number[], seed = 1): ForYouFigures[] {
  const members = simulateMembers(documents, seed);
  const features = paperFeatures();
  const counts = new Map<number, BucketCounts>();
  const paper = (i: number): PaperCounts => {
    let c = counts.get(i);
    if (!c) counts.set(i, (c = features.countPaper(documents[i]!)));
    return { key: String(i), counts: c, vector: vectors ? vectors.subarray(i * dimensions, (i + 1) * dimensions) : null };
  };
  const out: ForYouFigures[] = [];
  for (const split of ['train', 'test'] as const) {
    const chosen = members.filter((m) => m.split === split);
    for (const weight of weights) {
      let ndcg = 0;
      let precision = 0;
      for (const [n, m] of chosen.entries()) {
        const ranked = recommendFromCounts(
          { positives: m.positives.map(paper), negatives: m.negatives.map(paper), candidates: m.candidates.map(paper) },
          { limit: 10, seed: seed + n, dimensions: features.dimensions, vectorWeight: weight },
        );
        const qrels = new Map<string, number>();
        for (const i of m.candidates) {
          const grade = documents[i]!.categories?.[0] === m.category ? 2 : documents[i]!.categories?.includes(m.category) ? 1 : 0;
          if (grade > 0) qrels.set(String(i), grade);
        }
        const keys = ranked.map((r) => r.key);
        ndcg += ndcgAt(keys, qrels, 10);
        precision += precisionAt(keys, qrels, 10);
      }
      out.push({ split, weight, members: chosen.length, ndcg10: ndcg / Math.max(1, chosen.length), precision10: precision / Math.max(1, chosen.length) });
    }
  }
  return out;
}
