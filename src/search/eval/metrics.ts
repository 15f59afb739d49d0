/**
 * Retrieval metrics, defined as in the data README's reference runs (and trec_eval):
 * nDCG@k with gain 2^grade - 1 and a log2(rank + 1) discount, the ideal ranking taken from
 * all judged documents; average precision over the ranking given (the runner passes the top
 * 1000); recall@k. A document is relevant when its grade is > 0. Rankings are doc keys, best
 * first; duplicates are ignored after their first occurrence.
 */

import type { ReachJudgments } from './test-collection.js';

export type Judgments = ReadonlyMap<string, number>;

function relevantCount(judged: Judgments): number {
  let n = 0;
  for (const g of judged.values()) if (g > 0) n++;
  return n;
}

function dedupe(ranking: readonly string[]): string[] {
  return [...new Set(ranking)];
}

export function ndcgAt(ranking: readonly string[], judged: Judgments, k: number): number {
  const ranked = dedupe(ranking);
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    const g = judged.get(ranked[i]!) ?? 0;
    if (g > 0) dcg += (2 ** g - 1) / Math.log2(i + 2);
  }
  const ideal = [...judged.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, ideal.length); i++) idcg += (2 ** ideal[i]! - 1) / Math.log2(i + 2);
  return idcg > 0 ? dcg / idcg : 0;
}

export function averagePrecision(ranking: readonly string[], judged: Judgments): number {
  const total = relevantCount(judged);
  if (total === 0) return 0;
  let hits = 0;
  let sum = 0;
  dedupe(ranking).forEach((key, i) => {
    if ((judged.get(key) ?? 0) > 0) {
      hits++;
      sum += hits / (i + 1);
    }
  });
  return sum / total;
}

export function recallAt(ranking: readonly string[], judged: Judgments, k: number): number {
  const total = relevantCount(judged);
  if (total === 0) return 0;
  let hits = 0;
  for (const key of dedupe(ranking).slice(0, k)) if ((judged.get(key) ?? 0) > 0) hits++;
  return hits / total;
}

export function precisionAt(ranking: readonly string[], judged: Judgments, k: number): number {
  let hits = 0;
  for (const key of dedupe(ranking).slice(0, k)) if ((judged.get(key) ?? 0) > 0) hits++;
  return hits / k;
}

export interface RunMetrics {
  ndcg10: number;
  map: number;
  recall100: number;
  precision10: number;
  /** See `reachAt` (collections that mark the documents sharing no word with a query). */
  reach: number | null;
  queries: number;
}

/**
 * Semantic reach: among the documents of the ranking that contain none of the query's words
 * (which lexical search scores 0), the share of the first k that are relevant, out of at most k
 * (BEIR's capped recall, so a query with thousands of such relevant documents can reach 1).
 */
export function reachAt(ranking: readonly string[], reach: ReachJudgments, k: number): number {
  const possible = Math.min(k, reach.relevant.size);
  if (possible === 0) return 0;
  let seen = 0;
  let hits = 0;
  for (const key of dedupe(ranking)) {
    if (reach.sharesWord(key)) continue;
    if (reach.relevant.has(key)) hits++;
    if (++seen === k) break;
  }
  return hits / possible;
}

/**
 * Means over the queries that have at least one relevant document; `reach` over those that have
 * a relevant document sharing no word with the query.
 */
export function evaluateRun(run: ReadonlyMap<string, readonly string[]>, qrels: ReadonlyMap<string, Judgments>, reach?: ReadonlyMap<string, ReachJudgments>): RunMetrics {
  let n = 0;
  let ndcg = 0;
  let map = 0;
  let recall = 0;
  let precision = 0;
  let reachSum = 0;
  let reachQueries = 0;
  for (const [queryId, judged] of qrels) {
    if (relevantCount(judged) === 0) continue;
    const ranking = (run.get(queryId) ?? []).slice(0, 1000);
    n++;
    ndcg += ndcgAt(ranking, judged, 10);
    map += averagePrecision(ranking, judged);
    recall += recallAt(ranking, judged, 100);
    precision += precisionAt(ranking, judged, 10);
    const judgedReach = reach?.get(queryId);
    if (judgedReach && judgedReach.relevant.size > 0) {
      reachSum += reachAt(ranking, judgedReach, 100);
      reachQueries++;
    }
  }
  if (n === 0) return { ndcg10: 0, map: 0, recall100: 0, precision10: 0, reach: reach ? 0 : null, queries: 0 };
  return { ndcg10: ndcg / n, map: map / n, recall100: recall / n, precision10: precision / n, reach: reach ? (reachQueries > 0 ? reachSum / reachQueries : 0) : null, queries: n };
}
