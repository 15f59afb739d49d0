import { describe, expect, it } from 'vitest';
import type { SearchDocument } from '../search-document.js';
import { LsaEmbedPool } from './lsa-embed-pool.js';
import { LsaEmbeddingProvider } from './lsa.provider.js';

const topics = ['cardiac imaging heart ultrasound', 'graph neural network message passing', 'quantum error correction codes', 'reinforcement learning policy gradient'];
const docs: SearchDocument[] = Array.from({ length: 120 }, (_, i) => ({
  key: `p${i}`,
  title: `${topics[i % 4]} study ${i % 7}`,
  abstract: `We study ${topics[i % 4]} and ${topics[(i + 1) % 4]} with method ${i % 5}.`,
  authors: 'A. Author',
}));

describe('LsaEmbedPool', () => {
  it('gives the same vectors as the synchronous provider, batches spread over two workers', async () => {
    const { provider } = LsaEmbeddingProvider.fit(docs, { dimensions: 8 });
    const pool = new LsaEmbedPool(provider.model, 2);
    try {
      const batches = [docs.slice(0, 50), docs.slice(50, 90), docs.slice(90)];
      const vectors = await Promise.all(batches.map((b) => pool.embed(b)));
      batches.forEach((b, i) => expect(Array.from(vectors[i]!)).toEqual(Array.from(provider.embedDocumentsSync(b))));
    } finally {
      await pool.close();
    }
  });
});
