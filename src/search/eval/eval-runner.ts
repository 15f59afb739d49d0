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
  precision10: number;
  /** Recall@100 of the relevant documents sharing no word with the query (collections that mark them). */
  reach: number | null;
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

/** Each query's ranking (doc keys, best first, top RUN_DEPTH). */
export type QueryRuns = Map<string, string[]>;

export async function evaluateSystem(system: RetrievalSystem, collection: TestCollection, onRun?: (run: QueryRuns) => void): Promise<EvalRow> {
  const t0 = performance.now();
  await system.index(collection.documents);
  const t1 = performance.now();
  const run = new Map<string, string[]>();
  for (const q of collection.queries) run.set(q.id, system.search(q.text, RUN_DEPTH));
  const t2 = performance.now();
  const m = evaluateRun(run, collection.qrels, collection.reach);
  onRun?.(run);
  return {
    collection: collection.name,
    system: system.name,
    ndcg10: m.ndcg10,
    map: m.map,
    recall100: m.recall100,
    precision10: m.precision10,
    reach: m.reach,
    queries: m.queries,
    indexMs: t1 - t0,
    queryMs: collection.queries.length > 0 ? (t2 - t1) / collection.queries.length : 0,
  };
}

export async function runEvaluation(options: {
  dataDir: string;
  collections: readonly string[];
  systems: readonly SystemFactory[];
  /** Loads a collection by name (default: the IR collections of collection-loaders.ts). */
  load?: (name: string) => TestCollection | Promise<TestCollection>;
  onCollection?: (collection: TestCollection) => void;
  onRow?: (row: EvalRow) => void;
  /** Each system's rankings, for query-by-query output. */
  onRun?: (collection: TestCollection, system: string, run: QueryRuns) => void;
  onSkip?: (collection: string, system: string) => void;
}): Promise<EvalRow[]> {
  const rows: EvalRow[] = [];
  for (const name of options.collections) {
    const collection = options.load ? await options.load(name) : loadCollection(name as CollectionName, options.dataDir);
    options.onCollection?.(collection);
    for (const factory of options.systems) {
      const system = await factory.create(collection);
      if (!system) {
        options.onSkip?.(collection.name, factory.name);
        continue;
      }
      try {
        const row = await evaluateSystem(system, collection, options.onRun ? (run) => options.onRun!(collection, system.name, run) : undefined);
        rows.push(row);
        options.onRow?.(row);
      } finally {
        system.close?.();
      }
    }
  }
  return rows;
}
