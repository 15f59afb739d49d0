/**
 * `paperboy eval-for-you`: "For you" on the shared arXiv records (recommend/for-you-eval.ts),
 * with the papers' learned vectors made as the server makes them: the default corpus model and
 * dimensions, fitted on a seeded sample of at most SEARCH_DENSE_FIT_SAMPLE papers, every paper
 * then embedded with it.
 */
import type { DenseSearchConfig } from '../../config/config.js';
import { evaluateForYou, type ForYouFigures } from '../../recommend/for-you-eval.js';
import { fitCorpusModel } from '../../search/dense/corpus-model.js';
import { seededRandom } from '../../search/seeded-random.js';
import type { SearchDocument } from '../../search/search-document.js';
import { readArxivHarvest } from '../search-index/arxiv-topics-eval.service.js';

export interface ForYouEvaluation {
  papers: number;
  model: string;
  dimensions: number;
  representationSeconds: number;
  figures: ForYouFigures[];
}

function fitSample(documents: readonly SearchDocument[], size: number): SearchDocument[] {
  if (documents.length <= size) return [...documents];
  const random = seededRandom(42);
  const sample = documents.slice(0, size);
  for (let i = size; i < documents.length; i++) {
    const j = Math.floor(random() * (i + 1));
    if (j < size) sample[j] = documents[i]!;
  }
  return sample;
}

export async function evaluateForYouOnArxiv(dataDir: string, dense: DenseSearchConfig, weights: readonly number[]): Promise<ForYouEvaluation> {
  const documents = await readArxivHarvest(dataDir);
  const started = performance.now();
  const { provider } = fitCorpusModel(dense.model, fitSample(documents, dense.fitSample), { dimensions: dense.dimensions });
  const vectors = provider.embedDocumentsSync(documents);
  const representationSeconds = (performance.now() - started) / 1000;
  return { papers: documents.length, model: dense.model, dimensions: provider.dimensions, representationSeconds, figures: evaluateForYou(documents, vectors, provider.dimensions, weights) };
}
