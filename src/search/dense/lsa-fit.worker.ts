/**
 * Worker thread body: fits an LSA model on the documents it is given and posts back the model's
 * parts and the documents' vectors (buffers transferred, not copied). Fitting takes tens of
 * seconds at tens of thousands of papers, which must not stall a server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SearchDocument } from '../search-document.js';
import type { LsaOptions } from './lsa-model.js';
import { LsaEmbeddingProvider } from './lsa.provider.js';

const { documents, options } = workerData as { documents: SearchDocument[]; options: LsaOptions };
const { provider, vectors } = LsaEmbeddingProvider.fit(documents, options);
const parts = provider.model.toParts();
parentPort!.postMessage({ parts, vectors }, [parts.idf.buffer, parts.projection.buffer, parts.singularValues.buffer, vectors.buffer] as ArrayBuffer[]);
