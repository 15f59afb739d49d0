/**
 * Grid search of BM25F parameters on the training splits only (SciFact train, NFCorpus dev):
 * the objective is the mean nDCG@10 over the two. Test splits are never touched here. The
 * index is built once per split and re-scored with `setParams`, so the grid is cheap.
 */
import type { Bm25fParams } from '../bm25f-params.js';
import { LexicalIndex } from '../lexical-index.js';
import { type CollectionName, TUNING_COLLECTIONS, loadCollection } from './collection-loaders.js';
import { evaluateRun } from './metrics.js';

export interface TuningGrid {
  k1: number[];
  titleWeight: number[];
  titleB: number[];
  abstractB: number[];
}

export const DEFAULT_TUNING_GRID: TuningGrid = {
  k1: [0.6, 0.9, 1.2, 1.5, 2.0],
  titleWeight: [1, 1.5, 2, 3],
  titleB: [0.3, 0.5, 0.75],
  abstractB: [0.4, 0.6, 0.75, 0.9],
};

export interface TuningResult {
  params: Bm25fParams;
  /** nDCG@10 per tuning split. */
  scores: Record<string, number>;
  objective: number;
}

export function tuneLexicalParams(dataDir: string, grid: TuningGrid = DEFAULT_TUNING_GRID, splits: readonly CollectionName[] = TUNING_COLLECTIONS): TuningResult[] {
  const prepared = splits.map((name) => {
    const collection = loadCollection(name, dataDir);
    const index = new LexicalIndex({ completions: false });
    index.addAll(collection.documents);
    return { collection, index };
  });
  const results: TuningResult[] = [];
  for (const k1 of grid.k1) {
    for (const titleWeight of grid.titleWeight) {
      for (const titleB of grid.titleB) {
        for (const abstractB of grid.abstractB) {
          const params: Bm25fParams = {
            k1,
            fields: { title: { weight: titleWeight, b: titleB }, abstract: { weight: 1, b: abstractB }, authors: { weight: 1, b: 0.5 } },
          };
          const scores: Record<string, number> = {};
          for (const { collection, index } of prepared) {
            index.setParams(params);
            const run = new Map(collection.queries.map((q) => [q.id, index.search(q.text, { limit: 10 }).map((h) => h.key)]));
            scores[collection.name] = evaluateRun(run, collection.qrels).ndcg10;
          }
          const values = Object.values(scores);
          results.push({ params, scores, objective: values.reduce((a, b) => a + b, 0) / values.length });
        }
      }
    }
  }
  return results.sort((a, b) => b.objective - a.objective);
}
