/**
 * Worker thread body: fits the corpus model (corpus-model.ts) on the documents it is given and
 * posts back the model's parts (buffers transferred, not copied). Fitting takes tens of seconds
 * to a minute at tens of thousands of papers, which must not stall a server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SearchDocument } from '../search-document.js';
import { ContrastiveEmbeddingProvider } from './contrastive.provider.js';
import { type CorpusModelKind, type CorpusModelOptions, fitCorpusModel } from './corpus-model.js';

const { documents, kind, options } = workerData as { documents: SearchDocument[]; kind: CorpusModelKind; options: CorpusModelOptions };
const { provider } = fitCorpusModel(kind, documents, options);
if (provider instanceof ContrastiveEmbeddingProvider) {
  const parts = provider.encoder.toParts();
  parentPort!.postMessage({ kind, parts }, [parts.table.buffer, parts.idf.buffer] as ArrayBuffer[]);
} else {
  const parts = provider.model.toParts();
  parentPort!.postMessage({ kind, parts }, [parts.idf.buffer, parts.projection.buffer, parts.singularValues.buffer] as ArrayBuffer[]);
}
