/**
 * The systems `paperboy eval` compares, built fresh for each collection:
 * - `lexical`: our BM25F index with the scientific tokenizer and the tuned default parameters;
 * - `bm25-plain`: the same engine configured like the README's reference runs (plain tokens,
 *   title and text in one field, k1 0.9, b 0.4), which checks the engine against those figures;
 * - `dense`: vectors of the default corpus model (corpus-model.ts: LSA refined by contrastive
 *   training) learned from the collection's own documents (no queries, no judgments), exact
 *   cosine search; `dense-lsa` the same with LSA alone, the baseline (with `--systems`);
 * - `hybrid` (and `hybrid-lsa`): the product's HybridSearcher over the lexical index and those
 *   vectors, fused by the linear blend tuned on the training splits;
 * - `sqlite-fts5` and `minisearch`: peers run on the same documents in the same process.
 */
import type { Bm25fParams } from '../bm25f-params.js';
import { LexicalIndex, type LexicalIndexOptions } from '../lexical-index.js';
import { Fts5Peer } from '../peers/fts5.peer.js';
import { createMiniSearchPeer } from '../peers/minisearch.peer.js';
import type { RetrievalSystem } from '../retrieval-system.js';
import type { SearchDocument } from '../search-document.js';
import { createPlainAnalyzer } from '../tokenizer.js';
import { type CorpusEmbeddingProvider, type CorpusModelKind, DEFAULT_CORPUS_MODEL, fitCorpusModel } from '../dense/corpus-model.js';
import { VectorIndex } from '../dense/vector-index.js';
import { DEFAULT_HYBRID_ALPHA, HybridSearcher } from '../hybrid-searcher.js';
import { AnnKeyedVectors } from '../keyed-vectors.js';
import { seededRandom } from '../seeded-random.js';
import type { SystemFactory } from './eval-runner.js';
import type { TestCollection } from './test-collection.js';

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

/** Model dimensions for evaluation (chosen on the training splits for LSA: 384 was no better in hybrid). */
export const EVAL_LSA_DIMENSIONS = 256;

/**
 * Documents the LSA model is fitted on, at most (a seeded sample beyond that; the rest are
 * folded in), as the live engine fits on a sample of the papers (SEARCH_DENSE_FIT_SAMPLE).
 */
export const EVAL_LSA_FIT_SAMPLE = 50_000;

type DenseModel = { provider: CorpusEmbeddingProvider; index: VectorIndex; keys: string[] };

/** One fit per collection and model kind, shared by the dense and hybrid systems. */
const fitted = new WeakMap<TestCollection, Map<CorpusModelKind, DenseModel>>();

function denseModel(collection: TestCollection, kind: CorpusModelKind): DenseModel {
  let byKind = fitted.get(collection);
  if (!byKind) fitted.set(collection, (byKind = new Map()));
  let m = byKind.get(kind);
  if (!m) {
    const docs = collection.documents;
    let provider: CorpusEmbeddingProvider;
    let vectors: Float32Array;
    if (docs.length <= EVAL_LSA_FIT_SAMPLE) ({ provider, vectors } = fitCorpusModel(kind, docs, { dimensions: EVAL_LSA_DIMENSIONS }));
    else {
      const random = seededRandom(42);
      const sample = docs.slice(0, EVAL_LSA_FIT_SAMPLE);
      // Reservoir sampling: a uniform sample whatever the documents' order.
      for (let i = EVAL_LSA_FIT_SAMPLE; i < docs.length; i++) {
        const j = Math.floor(random() * (i + 1));
        if (j < EVAL_LSA_FIT_SAMPLE) sample[j] = docs[i]!;
      }
      provider = fitCorpusModel(kind, sample, { dimensions: EVAL_LSA_DIMENSIONS }).provider;
      vectors = provider.embedDocumentsSync(docs);
    }
    m = { provider, index: VectorIndex.build(vectors, provider.dimensions), keys: docs.map((d) => d.key) };
    byKind.set(kind, m);
  }
  return m;
}

export function denseFactory(kind: CorpusModelKind = DEFAULT_CORPUS_MODEL, name = 'dense'): SystemFactory {
  return {
    name,
    create: (collection) => {
      let m: DenseModel;
      return {
        name,
        index() {
          m = denseModel(collection, kind);
        },
        search(query, limit) {
          return m.index.search(m.provider.embedQuerySync(query), limit, { exact: true }).map((h) => m.keys[h.id]!);
        },
      };
    },
  };
}

export function hybridFactory(options: { alpha?: number; fusion?: 'linear' | 'rrf'; name?: string; feedbackDocs?: number; kind?: CorpusModelKind } = {}): SystemFactory {
  const name = options.name ?? 'hybrid';
  return {
    name,
    create: (collection) => {
      let searcher: HybridSearcher;
      let provider: CorpusEmbeddingProvider;
      return {
        name,
        index(documents) {
          const m = denseModel(collection, options.kind ?? DEFAULT_CORPUS_MODEL);
          provider = m.provider;
          const lexical = new LexicalIndex({ completions: false });
          lexical.addAll(documents);
          searcher = new HybridSearcher(lexical, new AnnKeyedVectors(m.index, m.keys), {
            alpha: options.alpha ?? DEFAULT_HYBRID_ALPHA,
            fusion: options.fusion ?? 'linear',
            exact: true,
            ...(options.feedbackDocs !== undefined ? { feedbackDocs: options.feedbackDocs } : {}),
          });
        },
        search(query, limit) {
          return searcher.search(query, provider.embedQuerySync(query), { limit, depth: Math.max(limit, 1000) }).map((h) => h.key);
        },
      };
    },
  };
}

export const fts5Factory: SystemFactory = { name: 'sqlite-fts5', create: () => new Fts5Peer() };

export const miniSearchFactory: SystemFactory = { name: 'minisearch', create: () => createMiniSearchPeer() };

/** Everything `paperboy eval` runs by default, in print order. */
export const EVAL_SYSTEMS: readonly SystemFactory[] = [lexicalFactory, denseFactory(), hybridFactory(), plainBm25Factory, fts5Factory, miniSearchFactory];

/** Also runnable with `--systems`: the representation the default is measured against (LSA alone). */
export const BASELINE_SYSTEMS: readonly SystemFactory[] = [denseFactory('lsa', 'dense-lsa'), hybridFactory({ kind: 'lsa', name: 'hybrid-lsa' })];
