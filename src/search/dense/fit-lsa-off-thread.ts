/**
 * Fits an LSA embedding provider in a worker thread (see lsa-fit.worker.ts). Only titles and
 * abstracts cross the thread boundary, since nothing else is used by the model.
 */
import type { SearchDocument } from '../search-document.js';
import { LsaModel, type LsaModelParts, type LsaOptions } from './lsa-model.js';
import { LsaEmbeddingProvider } from './lsa.provider.js';
import { firstMessage, startModuleWorker } from '../module-worker.js';

/**
 * With `background`, the worker does not keep the process alive: a command that ends meanwhile
 * simply exits instead of waiting for a model nobody will use.
 */
export async function fitLsaOffThread(documents: readonly SearchDocument[], options: LsaOptions = {}, run: { background?: boolean } = {}): Promise<{ provider: LsaEmbeddingProvider; vectors: Float32Array }> {
  const slim = documents.map((d) => ({ key: d.key, title: d.title, abstract: d.abstract, authors: '' }));
  const worker = startModuleWorker('lsa-fit.worker', import.meta.url, { documents: slim, options });
  const message = await firstMessage<{ parts: LsaModelParts; vectors: Float32Array }>(worker, run);
  return { provider: LsaEmbeddingProvider.fromModel(LsaModel.fromParts(message.parts)), vectors: message.vectors };
}
