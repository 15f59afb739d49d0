/**
 * The systems `paperboy eval` compares, built fresh for each collection:
 * - `lexical`: our BM25F index with the scientific tokenizer and the tuned default parameters;
 * - `bm25-plain`: the same engine configured like the README's reference runs (plain tokens,
 *   title and text in one field, k1 0.9, b 0.4), which checks the engine against those figures;
 * - `sqlite-fts5` and `minisearch`: peers run on the same documents in the same process.
 */
import type { Bm25fParams } from '../bm25f-params.js';
import { LexicalIndex, type LexicalIndexOptions } from '../lexical-index.js';
import { Fts5Peer } from '../peers/fts5.peer.js';
import { createMiniSearchPeer } from '../peers/minisearch.peer.js';
import type { RetrievalSystem } from '../retrieval-system.js';
import type { SearchDocument } from '../search-document.js';
import { createPlainAnalyzer } from '../tokenizer.js';
import type { SystemFactory } from './eval-runner.js';

export const PLAIN_BM25_PARAMS: Bm25fParams = {
  k1: 0.9,
  fields: { title: { weight: 1, b: 0.4 }, abstract: { weight: 1, b: 0.4 }, authors: { weight: 0, b: 0 } },
};

/** Wraps a LexicalIndex as a RetrievalSystem; `prepare` may reshape documents (e.g. join fields). */
export function lexicalSystem(name: string, options: LexicalIndexOptions, prepare: (d: SearchDocument) => SearchDocument = (d) => d): RetrievalSystem & { readonly lexical: LexicalIndex } {
  const lexical = new LexicalIndex({ completions: false, ...options });
  return {
    name,
    lexical,
    index(documents) {
      lexical.addAll(documents.map(prepare));
    },
    search(query, limit) {
      return lexical.search(query, { limit }).map((h) => h.key);
    },
  };
}

export const lexicalFactory: SystemFactory = { name: 'lexical', create: () => lexicalSystem('lexical', {}) };

export const plainBm25Factory: SystemFactory = {
  name: 'bm25-plain',
  create: () =>
    lexicalSystem('bm25-plain', { analyzer: createPlainAnalyzer(), params: PLAIN_BM25_PARAMS }, (d) => ({
      key: d.key,
      title: '',
      abstract: [d.title, d.abstract].filter((s) => s !== '').join(' '),
      authors: '',
    })),
};

export const fts5Factory: SystemFactory = { name: 'sqlite-fts5', create: () => new Fts5Peer() };

export const miniSearchFactory: SystemFactory = { name: 'minisearch', create: () => createMiniSearchPeer() };

/** Everything `paperboy eval` runs by default, in print order. */
export const EVAL_SYSTEMS: readonly SystemFactory[] = [lexicalFactory, plainBm25Factory, fts5Factory, miniSearchFactory];
