/**
 * The shape every ranked-retrieval system takes in evaluation and benchmarks: ours (lexical,
 * dense, hybrid) and the peers measured in the same run (SQLite FTS5, MiniSearch).
 */
import type { SearchDocument } from './search-document.js';

export interface RetrievalSystem {
  readonly name: string;
  /** Indexes the documents (called once, before any search). */
  index(documents: readonly SearchDocument[]): void | Promise<void>;
  /** Keys of the best `limit` documents, best first. */
  search(query: string, limit: number): string[];
  close?(): void;
}
