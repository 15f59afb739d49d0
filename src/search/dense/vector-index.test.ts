import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNfcorpus } from '../eval/collection-loaders.js';
import { seededRandom } from '../seeded-random.js';
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

describe('VectorIndex updates and snapshots', () => {
  const d = 40;
  const random = seededRandom(9);
  const unit = () => {
    const v = new Float32Array(d);
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (v[j] = random() - 0.5) ** 2;
    for (let j = 0; j < d; j++) v[j]! /= Math.sqrt(norm);
    return v;
  };
  const n = 3000;
  const vectors = new Float32Array(n * d);
  for (let i = 0; i < n; i++) vectors.set(unit(), i * d);

  it('leaves the input unchanged; the int8 pass with exact re-ranking returns exact scores and near-exact answers', () => {
    const copy = vectors.slice();
    const index = VectorIndex.build(vectors, d, { lists: 30 });
    expect(vectors).toEqual(copy);
    const queries = new Float32Array(50 * d);
    for (let i = 0; i < 50; i++) queries.set(unit(), i * d);
    // Probing all lists but one: only the int8 scoring and the missing list can cost recall.
    expect(index.recallAgainstExact(queries, 10, index.lists - 1)).toBeGreaterThanOrEqual(0.9);
    const q = queries.subarray(0, d);
    for (const h of index.search(q, 10, { probes: 3 })) expect(h.score).toBe(Math.fround(index.similarity(h.id, q)));
  });

  it('finds added vectors, never returns removed ones, and keeps both across save/load', () => {
    const index = VectorIndex.build(vectors, d, { lists: 30 });
    index.calibrate(0.9, 10);
    const extra = unit();
    const id = index.add(extra);
    expect(id).toBe(n);
    expect(index.size).toBe(n + 1);
    expect(index.search(extra, 1)[0]).toEqual({ id, score: expect.closeTo(1, 5) as number });
    const victim = index.search(vectors.subarray(5 * d, 6 * d), 1)[0]!.id;
    expect(victim).toBe(5);
    index.remove(5);
    expect(index.has(5)).toBe(false);
    expect(index.search(vectors.subarray(5 * d, 6 * d), 10, { exact: true }).map((h) => h.id)).not.toContain(5);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vector-index-'));
    try {
      index.save(path.join(dir, 'ivf.snapshot'));
      const loaded = VectorIndex.load(path.join(dir, 'ivf.snapshot'));
      expect(loaded.size).toBe(n + 1);
      expect(loaded.probes).toBe(index.probes);
      expect(loaded.has(5)).toBe(false);
      for (let i = 0; i < 5; i++) {
        const q = unit();
        expect(loaded.search(q, 10)).toEqual(index.search(q, 10));
      }
      expect(Array.from(loaded.vectorOf(id))).toEqual(Array.from(extra));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
