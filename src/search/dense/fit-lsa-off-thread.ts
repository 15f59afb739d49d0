/**
 * Fits an LSA embedding provider in a worker thread (see lsa-fit.worker.ts). Only titles and
 * abstracts cross the thread boundary, since nothing else is used by the model.
 */
import { Worker } from 'node:worker_threads';
import type { SearchDocument } from '../search-document.js';
import { LsaModel, type LsaModelParts, type LsaOptions } from './lsa-model.js';
import { LsaEmbeddingProvider } from './lsa.provider.js';

/**
 * With `background`, the worker does not keep the process alive: a command that ends meanwhile
 * simply exits instead of waiting for a model nobody will use.
 */
export async function fitLsaOffThread(documents: readonly SearchDocument[], options: LsaOptions = {}, run: { background?: boolean } = {}): Promise<{ provider: LsaEmbeddingProvider; vectors: Float32Array }> {
  const slim = documents.map((d) => ({ key: d.key, title: d.title, abstract: d.abstract, authors: '' }));
  const workerData = { documents: slim, options };
  // Built code runs the .js worker. From sources (tests, tsx) the worker is a .ts file: it is
  // loaded through tsx's API, since `--import tsx` in a worker's execArgv does not reach it on Node 20.
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./lsa-fit.worker.ts', import.meta.url).href)}); });`, { eval: true, workerData })
    : new Worker(new URL('./lsa-fit.worker.js', import.meta.url), { workerData });
  if (run.background) worker.unref();
  return await new Promise((resolve, reject) => {
    worker.once('message', (message: { parts: LsaModelParts; vectors: Float32Array }) => {
      resolve({ provider: LsaEmbeddingProvider.fromModel(LsaModel.fromParts(message.parts)), vectors: message.vectors });
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`LSA fitting worker exited with code ${code}`));
    });
  });
}
