/**
 * Fits the corpus model in a worker thread (see corpus-model-fit.worker.ts). Only titles and
 * abstracts cross the thread boundary, since nothing else is used by the models.
 */
import { firstMessage, startModuleWorker } from '../module-worker.js';
import type { SearchDocument } from '../search-document.js';
import { ContrastiveEncoder, type ContrastiveEncoderParts } from './contrastive-encoder.js';
import { ContrastiveEmbeddingProvider } from './contrastive.provider.js';
import type { CorpusEmbeddingProvider, CorpusModelKind, CorpusModelOptions } from './corpus-model.js';
import { LsaModel, type LsaModelParts } from './lsa-model.js';
import { LsaEmbeddingProvider } from './lsa.provider.js';

type FitMessage = { kind: 'lsa'; parts: LsaModelParts } | { kind: 'contrastive'; parts: ContrastiveEncoderParts };

/**
 * With `background`, the worker does not keep the process alive: a command that ends meanwhile
 * simply exits instead of waiting for a model nobody will use.
 */
export async function fitCorpusModelOffThread(kind: CorpusModelKind, documents: readonly SearchDocument[], options: CorpusModelOptions = {}, run: { background?: boolean } = {}): Promise<CorpusEmbeddingProvider> {
  const slim = documents.map((d) => ({ key: d.key, title: d.title, abstract: d.abstract, authors: '' }));
  const worker = startModuleWorker('corpus-model-fit.worker', import.meta.url, { documents: slim, kind, options });
  const message = await firstMessage<FitMessage>(worker, run);
  return message.kind === 'lsa' ? LsaEmbeddingProvider.fromModel(LsaModel.fromParts(message.parts)) : ContrastiveEmbeddingProvider.fromEncoder(ContrastiveEncoder.fromParts(message.parts));
}
