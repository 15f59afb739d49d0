/**
 * Worker thread body for lsa-embed-pool.ts: holds one LSA model (its parts arrive as
 * workerData) and answers each batch of papers with their vectors (buffer transferred).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SearchDocument } from '../search-document.js';
import { LsaModel, type LsaModelParts } from './lsa-model.js';
import { LsaEmbeddingProvider } from './lsa.provider.js';

const provider = LsaEmbeddingProvider.fromModel(LsaModel.fromParts((workerData as { parts: LsaModelParts }).parts));
parentPort!.on('message', (m: { id: number; documents: SearchDocument[] }) => {
  const vectors = provider.embedDocumentsSync(m.documents);
  parentPort!.postMessage({ id: m.id, vectors }, [vectors.buffer as ArrayBuffer]);
});
