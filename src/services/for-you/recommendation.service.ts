/**
 * "For you": papers of a period ranked for one member by a classifier trained on what they
 * upvoted and saved (src/recommend), read through the store, on the papers' words and on the
 * learned vectors the search engine keeps for search by meaning. Deterministic for a member and
 * seed: negatives are sampled by row id with a PRNG seeded from both. A member with nothing
 * upvoted or saved gets an empty answer with status `no_positives`, never an error.
 */
import { ValidationError } from '../../domain/errors.js';
import { type ContentWindow } from '../../domain/digest-period.js';
import { addDays, isIsoDate } from '../../domain/civil-date.js';
import type { BucketCounts } from '../../recommend/hashed-tfidf.js';
import { paperFeatures, recommendFromCounts, type PaperCounts } from '../../recommend/user-recommender.js';
import { seededRandom } from '../../search/seeded-random.js';
import type { Db } from '../../store/database.js';
import { findPapersByArxivIds } from '../../store/paper.repository.js';
import { findPaperKeysByIds, findPaperTextsByIds, listMemberPositives, listRecommendationCandidates, paperIdRange, type PaperKeyRow } from '../../store/recommendation.repository.js';
import type { FeedPaper } from '../reader/feed.types.js';

/** Newest papers of the window that are ranked; older ones in a busy window are not considered. */
export const MAX_CANDIDATES = 5_000;
/** Most recent positives the model learns from. */
export const MAX_POSITIVES = 500;
export const MAX_RESULTS = 100;
/** Papers whose term counts are kept between calls (about 1 KB each). */
const FEATURE_CACHE_SIZE = 20_000;

export interface ForYouOptions {
  /** First publication day, `YYYY-MM-DD`. */
  since: string;
  /** Last publication day (inclusive), `YYYY-MM-DD`. */
  until: string;
  limit: number;
}

export type ForYouStatus = 'ok' | 'no_positives' | 'no_candidates';

export interface ForYouItem {
  paper: FeedPaper;
  /** The model's estimate that the member likes the paper, 0..1. */
  score: number;
}

export interface ForYouResult {
  status: ForYouStatus;
  items: ForYouItem[];
  /** How many papers the model learned from: upvoted or saved, each once (at most MAX_POSITIVES). */
  positives: number;
  /** How many papers of the window were ranked. */
  candidates: number;
  window: { since: string; until: string };
}

export interface RecommendationService {
  forYou(memberId: number, options: ForYouOptions): Promise<ForYouResult>;
}

export interface RecommendationDeps {
  db: Db;
  /** The learned vectors of the papers that have one (the search engine's). */
  paperVectors: (arxivIds: readonly string[]) => Promise<ReadonlyMap<string, Float32Array>>;
  /** Mixed with the member id into the sampling and training seed (default 1). */
  seed?: number;
}

/** How many negatives to sample for `positives` positives. */
function negativeTarget(positives: number): number {
  return Math.min(600, Math.max(60, positives * 4));
}

/**
 * Term counts of recently ranked papers, least recently used dropped first, keyed by arXiv id
 * and change sequence (a changed paper gets a new entry). A period's candidates are the same for
 * every member, so after the first call their text is neither read nor tokenized again.
 */
function createCountsCache(capacity: number) {
  const entries = new Map<string, BucketCounts>();
  return {
    get(key: string): BucketCounts | undefined {
      const counts = entries.get(key);
      if (counts) {
        entries.delete(key);
        entries.set(key, counts);
      }
      return counts;
    },
    set(key: string, counts: BucketCounts): void {
      entries.set(key, counts);
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
    },
  };
}

export function createRecommendationService(deps: RecommendationDeps): RecommendationService {
  const { db } = deps;
  const baseSeed = deps.seed ?? 1;
  const countsCache = createCountsCache(FEATURE_CACHE_SIZE);
  const features = paperFeatures();

  /** Term counts of the papers, in order; text is read and tokenized only for papers not in the cache. */
  async function countsOf(rows: readonly PaperKeyRow[]): Promise<PaperCounts[]> {
    const counts: (BucketCounts | undefined)[] = rows.map((r) => countsCache.get(`${r.arxivId}@${r.changeSeq}`));
    const missing = rows.filter((_, i) => counts[i] === undefined);
    if (missing.length > 0) {
      const texts = new Map((await findPaperTextsByIds(db.kysely, missing.map((r) => r.id))).map((t) => [t.id, t]));
      rows.forEach((r, i) => {
        const text = counts[i] === undefined ? texts.get(r.id) : undefined;
        if (!text) return;
        counts[i] = features.countPaper(text);
        countsCache.set(`${r.arxivId}@${r.changeSeq}`, counts[i]!);
      });
    }
    // A paper deleted between the two reads has no text and is left out.
    return rows.flatMap((r, i) => (counts[i] ? [{ key: r.arxivId, counts: counts[i]! }] : []));
  }

  /** Random papers that are neither positives nor candidates, drawn by row id. */
  async function sampleNegatives(seed: number, exclude: ReadonlySet<number>, target: number): Promise<PaperKeyRow[]> {
    const range = await paperIdRange(db.kysely);
    if (!range) return [];
    const random = seededRandom(seed);
    const span = range.max - range.min + 1;
    const picked = new Set<number>();
    // Ids can have gaps (deleted rows); draw more than needed, in a bounded number of tries.
    for (let tries = 0; picked.size < target * 2 && tries < target * 8; tries++) {
      const id = range.min + Math.floor(random() * span);
      if (!exclude.has(id)) picked.add(id);
    }
    return (await findPaperKeysByIds(db.kysely, [...picked])).slice(0, target);
  }

  return {
    async forYou(memberId, options) {
      for (const [field, value] of [['since', options.since], ['until', options.until]] as const) {
        if (!isIsoDate(value)) throw new ValidationError(`${field} must be a YYYY-MM-DD date.`, { field });
      }
      if (options.until < options.since) throw new ValidationError('until must not be before since.', { field: 'until' });
      const limit = Math.max(1, Math.min(MAX_RESULTS, Math.floor(options.limit)));
      const window: ContentWindow = { from: options.since, toExclusive: addDays(options.until, 1) };
      const base = { window: { since: options.since, until: options.until } };

      const positives = await listMemberPositives(db.kysely, memberId, MAX_POSITIVES);
      if (positives.length === 0) return { ...base, status: 'no_positives', items: [], positives: 0, candidates: 0 };
      const candidates = await listRecommendationCandidates(db.kysely, memberId, window, MAX_CANDIDATES);
      if (candidates.length === 0) return { ...base, status: 'no_candidates', items: [], positives: positives.length, candidates: 0 };

      const seed = (Math.imul(baseSeed, 0x9e3779b1) ^ memberId) >>> 0;
      const exclude = new Set([...positives, ...candidates].map((p) => p.id));
      const negatives = await sampleNegatives(seed, exclude, negativeTarget(positives.length));
      const [positiveCounts, negativeCounts, candidateCounts] = [await countsOf(positives), await countsOf(negatives), await countsOf(candidates)];
      const vectors = await deps.paperVectors([...positiveCounts, ...negativeCounts, ...candidateCounts].map((p) => p.key));
      const withVector = (papers: PaperCounts[]) => papers.map((p) => ({ ...p, vector: vectors.get(p.key) ?? null }));
      const ranked = recommendFromCounts({ positives: withVector(positiveCounts), negatives: withVector(negativeCounts), candidates: withVector(candidateCounts) }, { limit, seed, dimensions: features.dimensions });
      const papers = new Map((await findPapersByArxivIds(db.kysely, ranked.map((r) => r.key))).map((p) => [p.arxivId, p]));
      const items: ForYouItem[] = [];
      for (const r of ranked) {
        const paper = papers.get(r.key);
        if (paper) items.push({ paper: { ...paper, codeUrl: paper.codeUrl ?? null }, score: r.score });
      }
      return { ...base, status: 'ok', items, positives: positives.length, candidates: candidates.length };
    },
  };
}
