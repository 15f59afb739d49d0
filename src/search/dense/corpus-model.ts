/**
 * The representations Paperboy learns from an instance's own papers, behind one fit call used by
 * the live engine (in a worker thread), `paperboy eval` and `bench search`:
 * - `contrastive` (the default): LSA, then contrastive training on the papers' own pairs
 *   (contrastive-encoder.ts);
 * - `lsa`: TF-IDF and truncated SVD alone (lsa-model.ts), the baseline it is measured against.
 */
import type { SearchDocument } from '../search-document.js';
import { ContrastiveEmbeddingProvider } from './contrastive.provider.js';
import type { ContrastiveOptions } from './contrastive-encoder.js';
import type { LsaOptions } from './lsa-model.js';
import { LsaEmbeddingProvider } from './lsa.provider.js';

export const CORPUS_MODEL_KINDS = ['contrastive', 'lsa'] as const;
export type CorpusModelKind = (typeof CORPUS_MODEL_KINDS)[number];
export const DEFAULT_CORPUS_MODEL: CorpusModelKind = 'contrastive';

export type CorpusEmbeddingProvider = LsaEmbeddingProvider | ContrastiveEmbeddingProvider;

export type CorpusModelOptions = LsaOptions & ContrastiveOptions;

/** Fits the model on `documents`; returns it with their vectors (row-major). */
export function fitCorpusModel(kind: CorpusModelKind, documents: readonly SearchDocument[], options: CorpusModelOptions = {}): { provider: CorpusEmbeddingProvider; vectors: Float32Array } {
  return kind === 'lsa' ? LsaEmbeddingProvider.fit(documents, options) : ContrastiveEmbeddingProvider.fit(documents, options);
}
