/**
 * Runs retrieval systems over test collections: indexes each collection's documents, runs
 * every judged query for the top 1000, and scores the run with nDCG@10, MAP and recall@100.
 * Systems are built per collection by factories, so corpus-trained representations learn
 * from that collection's documents only (never from its queries or judgments).
 */
import type { RetrievalSystem } from '../retrieval-system.js';
import { type CollectionName, loadCollection } from './collection-loaders.js';
import { evaluateRun } from './metrics.js';
import type { TestCollection } from './test-collection.js';

export interface EvalRow {
  collection: string;
  system: string;
  ndcg10: number;
  map: number;
  recall100: number;
  queries: number;
  indexMs: number;
  /** Mean time per query. */
  queryMs: number;
}

export interface SystemFactory {
  readonly name: string;
  /** Null when the system cannot run here (e.g. an optional package is missing). */
  create(collection: TestCollection): Promise<RetrievalSystem | null> | RetrievalSystem | null;
}

export const RUN_DEPTH = 1000;

export async function evaluateSystem(system: RetrievalSystem, collection: TestCollection): Promise<EvalRow> {
  const t0 = performance.now();
  await system.index(collection.documents);
  const t1 = performance.now();
  const run = new Map<string, string[]>();
  for (const q of collection.queries) run.set(q.id, system.search(q.text, RUN_DEPTH));
  const t2 = performance.now();
  const m = evaluateRun(run, collection.qrels);
  return {
    collection: collection.name,
    system: system.name,
    ndcg10: m.ndcg10,
    map: m.map,
    recall100: m.recall100,
    queries: m.queries,
    indexMs: t1 - t0,
    queryMs: collection.queries.length > 0 ? (t2 - t1) / collection.queries.length : 0,
  };
}

export async function runEvaluation(options: {
  dataDir: string;
  collections: readonly CollectionName[];
  systems: readonly SystemFactory[];
  onCollection?: (collection: TestCollection) => void;
  onRow?: (row: EvalRow) => void;
  onSkip?: (collection: string, system: string) => void;
}): Promise<EvalRow[]> {
  const rows: EvalRow[] = [];
  for (const name of options.collections) {
    const collection = loadCollection(name, options.dataDir);
    options.onCollection?.(collection);
    for (const factory of options.systems) {
      const system = await factory.create(collection);
      if (!system) {
        options.onSkip?.(collection.name, factory.name);
        continue;
      }
      try {
        const row = await evaluateSystem(system, collection);
        rows.push(row);
        options.onRow?.(row);
      } finally {
        system.close?.();
      }
    }
  }
  return rows;
}
