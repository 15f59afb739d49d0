import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNfcorpus } from '../eval/collection-loaders.js';
import { LsaEmbeddingProvider } from './lsa.provider.js';
import { VectorIndex } from './vector-index.js';

const sharedData = fileURLToPath(new URL('../../../../shared/data', import.meta.url));

describe('VectorIndex on LSA vectors of a real collection (NFCorpus dev)', () => {
  let vectors: Float32Array;
  let queries: Float32Array;
  let d: number;
  let index: VectorIndex;

  beforeAll(() => {
    const c = loadNfcorpus(path.join(sharedData, 'nfcorpus'), 'dev');
    const fit = LsaEmbeddingProvider.fit(c.documents, { dimensions: 48, powerIterations: 1 });
    d = fit.provider.dimensions;
    vectors = fit.vectors;
    queries = new Float32Array(c.queries.length * d);
    c.queries.forEach((q, i) => queries.set(fit.provider.embedQuerySync(q.text), i * d));
    index = VectorIndex.build(vectors.slice(), d, { lists: 64 });
  });

  it('exact search equals brute force over all vectors', () => {
    for (let i = 0; i < 20; i++) {
      const q = queries.subarray(i * d, i * d + d);
      const scores = Array.from({ length: vectors.length / d }, (_, id) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += vectors[id * d + j]! * q[j]!;
        return { id, score: Math.fround(s) };
      }).sort((a, b) => b.score - a.score || a.id - b.id);
      expect(index.search(q, 10, { exact: true }).map((h) => h.id)).toEqual(scores.slice(0, 10).map((s) => s.id));
    }
  });

  it('calibrates probes to reach recall@10 >= 0.95, and real queries get there too', () => {
    const { probes, recall } = index.calibrate(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(probes).toBeLessThan(index.lists);
    expect(index.recallAgainstExact(queries, 10, probes)).toBeGreaterThanOrEqual(0.9);
    // Scanning every list is exact.
    expect(index.recallAgainstExact(queries, 10, index.lists)).toBe(1);
  });

  it('calibrates on given query-like vectors', () => {
    const sample = queries.subarray(0, 100 * d);
    const { probes, recall } = index.calibrate(0.9, 10, sample);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(index.probes).toBe(probes);
    expect(index.recallAgainstExact(sample, 10, probes)).toBeCloseTo(recall, 10);
  });

  it('filters results and reports the stored similarity', () => {
    const q = queries.subarray(0, d);
    const hits = index.search(q, 10, { exact: true, accept: (id) => id % 2 === 0 });
    expect(hits.length).toBe(10);
    for (const h of hits) {
      expect(h.id % 2).toBe(0);
      expect(index.similarity(h.id, q)).toBeCloseTo(h.score, 5);
    }
  });
});
