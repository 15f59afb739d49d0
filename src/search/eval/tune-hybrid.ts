/**
 * Chooses the hybrid fusion on the training splits only (SciFact train, NFCorpus dev): linear
 * blends over a grid of alpha and reciprocal rank fusion, scored by mean nDCG@10.
 */
import type { SystemFactory } from './eval-runner.js';
import { evaluateSystem } from './eval-runner.js';
import { type CollectionName, TUNING_COLLECTIONS, loadCollection } from './collection-loaders.js';
import { hybridFactory } from './eval-systems.js';

export interface HybridTuningResult {
  name: string;
  scores: Record<string, number>;
  objective: number;
}

export const HYBRID_ALPHAS = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5];

export async function tuneHybrid(dataDir: string, splits: readonly CollectionName[] = TUNING_COLLECTIONS): Promise<HybridTuningResult[]> {
  const candidates: SystemFactory[] = [...HYBRID_ALPHAS.map((alpha) => hybridFactory({ alpha, name: `linear alpha=${alpha}` })), hybridFactory({ fusion: 'rrf', name: 'rrf k=60' })];
  const results = new Map<string, Record<string, number>>();
  for (const name of splits) {
    const collection = loadCollection(name, dataDir);
    for (const factory of candidates) {
      const system = await factory.create(collection);
      if (!system) continue;
      const row = await evaluateSystem(system, collection);
      results.set(factory.name, { ...(results.get(factory.name) ?? {}), [name]: row.ndcg10 });
    }
  }
  return [...results]
    .map(([name, scores]) => {
      const values = Object.values(scores);
      return { name, scores, objective: values.reduce((a, b) => a + b, 0) / values.length };
    })
    .sort((a, b) => b.objective - a.objective);
}
