/**
 * Grid search of the second stage's proximity parameters on the training splits only
 * (SciFact train, NFCorpus dev), like eval/tune-lexical.ts does for BM25F: the objective is
 * the mean nDCG@10 over the two; test splits are never touched. Each split is indexed once
 * and re-searched with `setProximity`. Not wired to a command yet: `eval --tune` could call it.
 */
import { type CollectionName, TUNING_COLLECTIONS, loadCollection } from './eval/collection-loaders.js';
import { evaluateRun } from './eval/metrics.js';
import { LexicalIndex } from './lexical-index.js';
import type { ProximityParams } from './proximity.js';

export interface ProximityGrid {
  weight: number[];
  window: number[];
  pairs: ProximityParams['pairs'][];
  depth: number[];
}

/** The grid behind DEFAULT_PROXIMITY_PARAMS (weight 0 is the first-stage-only baseline). */
export const DEFAULT_PROXIMITY_GRID: ProximityGrid = {
  weight: [0, 0.05, 0.1, 0.2, 0.3, 0.5, 1],
  window: [1, 2, 3, 5, 8],
  pairs: ['all', 'adjacent'],
  depth: [30, 50, 100, 200],
};

export interface ProximityTuningResult {
  params: ProximityParams;
  /** nDCG@10 per tuning split. */
  scores: Record<string, number>;
  objective: number;
}

export function tuneProximityParams(dataDir: string, grid: ProximityGrid = DEFAULT_PROXIMITY_GRID, splits: readonly CollectionName[] = TUNING_COLLECTIONS): ProximityTuningResult[] {
  const prepared = splits.map((name) => {
    const collection = loadCollection(name, dataDir);
    const index = new LexicalIndex({ completions: false });
    index.addAll(collection.documents);
    return { collection, index };
  });
  const results: ProximityTuningResult[] = [];
  for (const weight of grid.weight) {
    for (const window of grid.window) {
      for (const pairs of grid.pairs) {
        for (const depth of grid.depth) {
          const params: ProximityParams = { weight, window, pairs, depth };
          const scores: Record<string, number> = {};
          for (const { collection, index } of prepared) {
            index.setProximity(params);
            const run = new Map(collection.queries.map((q) => [q.id, index.search(q.text, { limit: 10 }).map((h) => h.key)]));
            scores[collection.name] = evaluateRun(run, collection.qrels).ndcg10;
          }
          const values = Object.values(scores);
          results.push({ params, scores, objective: values.reduce((a, b) => a + b, 0) / values.length });
          // Without proximity the other settings cannot matter: one baseline row is enough.
          if (weight === 0) break;
        }
        if (weight === 0) break;
      }
      if (weight === 0) break;
    }
  }
  return results.sort((a, b) => b.objective - a.objective);
}
