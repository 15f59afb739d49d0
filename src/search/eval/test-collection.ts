/**
 * A retrieval test collection in memory: documents in the search engine's input shape,
 * queries, and graded relevance judgments (grade > 0 means relevant).
 */
import type { SearchDocument } from '../search-document.js';

export interface EvalQuery {
  id: string;
  text: string;
}

/** query id -> (doc key -> grade). */
export type Qrels = Map<string, Map<string, number>>;

export interface TestCollection {
  name: string;
  documents: SearchDocument[];
  /** Only queries with at least one relevant document (the others cannot be scored). */
  queries: EvalQuery[];
  qrels: Qrels;
  /** How the files were read, for the report (field choices, relevance mapping). */
  notes: string;
  /** Per query, what semantic reach is measured on (collections that mark it: arxiv-topics). */
  reach?: Map<string, ReachJudgments>;
}

/** Documents that contain none of a query's words: lexical search scores them 0. */
export interface ReachJudgments {
  /** The relevant ones among them. */
  relevant: ReadonlySet<string>;
  /** True when the document contains at least one of the query's words. */
  sharesWord(key: string): boolean;
}

export function addJudgment(qrels: Qrels, queryId: string, docKey: string, grade: number): void {
  let judged = qrels.get(queryId);
  if (!judged) qrels.set(queryId, (judged = new Map()));
  judged.set(docKey, Math.max(grade, judged.get(docKey) ?? -Infinity));
}

/** Keeps the queries that have a relevant document, in file order. */
export function judgedQueries(queries: EvalQuery[], qrels: Qrels): EvalQuery[] {
  return queries.filter((q) => [...(qrels.get(q.id)?.values() ?? [])].some((g) => g > 0));
}
