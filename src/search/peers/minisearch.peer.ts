/**
 * Peer system: MiniSearch (a popular JS full-text library; BM25+ scoring, its default
 * tokenizer and lowercasing, no stemming) over the same three fields, OR queries. Loaded
 * lazily because it is a development dependency: where it is not installed, the peer is
 * reported as unavailable instead of breaking the command.
 */
import type { RetrievalSystem } from '../retrieval-system.js';
import type { SearchDocument } from '../search-document.js';

interface MiniSearchLike {
  addAll(documents: readonly object[]): void;
  search(query: string, options: { combineWith: 'OR' }): { id: string | number }[];
}

type MiniSearchConstructor = new (options: { fields: string[]; idField: string; storeFields: string[] }) => MiniSearchLike;

export async function createMiniSearchPeer(): Promise<RetrievalSystem | null> {
  let MiniSearch: MiniSearchConstructor;
  try {
    MiniSearch = ((await import('minisearch')) as unknown as { default: MiniSearchConstructor }).default;
  } catch {
    return null;
  }
  const engine = new MiniSearch({ fields: ['title', 'abstract', 'authors'], idField: 'key', storeFields: [] });
  return {
    name: 'minisearch',
    index(documents: readonly SearchDocument[]) {
      engine.addAll(documents.map((d) => ({ key: d.key, title: d.title, abstract: d.abstract, authors: d.authors })));
    },
    search(query: string, limit: number) {
      return engine
        .search(query, { combineWith: 'OR' })
        .slice(0, limit)
        .map((r) => String(r.id));
    },
  };
}
