import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.js';
import { PaperVectors } from './paper-vectors.js';
import { VectorIndex } from './vector-index.js';

const D = 16;

function unitVectors(n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < D; j++) norm += (out[i * D + j] = random() - 0.5) ** 2;
    for (let j = 0; j < D; j++) out[i * D + j]! /= Math.sqrt(norm);
  }
  return out;
}

function bruteForce(keys: string[], rows: Float32Array, query: Float32Array, k: number): string[] {
  return keys
    .map((key, i) => ({ key, score: rows.subarray(i * D, (i + 1) * D).reduce((s, x, j) => s + x * query[j]!, 0) }))
    .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1))
    .slice(0, k)
    .map((h) => h.key);
}

const row = (rows: Float32Array, i: number) => rows.subarray(i * D, (i + 1) * D);

describe('PaperVectors', () => {
  it('finds exactly the nearest live papers, honours the filter, follows updates and deletions', () => {
    const rows = unitVectors(300, 1);
    const keys = Array.from({ length: 300 }, (_, i) => `p${i}`);
    const vectors = new PaperVectors(D, 4);
    vectors.setMany(keys, rows);
    const queries = unitVectors(5, 2);
    for (let q = 0; q < 5; q++) {
      expect(vectors.nearest(row(queries, q), 10).map((h) => h.key)).toEqual(bruteForce(keys, rows, row(queries, q), 10));
    }
    const even = (key: string) => Number(key.slice(1)) % 2 === 0;
    expect(vectors.nearest(row(queries, 0), 10, even).map((h) => h.key)).toEqual(bruteForce(keys.filter(even), new Float32Array(keys.flatMap((k, i) => (even(k) ? [...row(rows, i)] : []))), row(queries, 0), 10));

    // p7 moves onto the query; p3 is deleted.
    const top = vectors.nearest(row(queries, 1), 1)[0]!.key;
    vectors.set('p7', row(queries, 1));
    vectors.delete(top === 'p7' ? 'p8' : top);
    expect(vectors.nearest(row(queries, 1), 1)[0]).toEqual({ key: 'p7', score: expect.closeTo(1, 5) });
    expect(vectors.size).toBe(299);
    expect(vectors.has(top === 'p7' ? 'p8' : top)).toBe(false);
    expect(vectors.rowCount).toBe(301);
    vectors.compact();
    expect(vectors.rowCount).toBe(299);
    expect(vectors.nearest(row(queries, 1), 1)[0]!.key).toBe('p7');
    expect(vectors.vectorOf('p7')).toEqual(row(queries, 1));
  });

  it('saves the live vectors and loads them back; a damaged file is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-vec-'));
    try {
      const vectors = new PaperVectors(D);
      vectors.setMany(['a', 'b', 'c'], unitVectors(3, 3));
      vectors.delete('b');
      const file = path.join(dir, 'v.vec');
      const bytes = vectors.save(file, { seq: 42 });
      expect(fs.statSync(file).size).toBe(bytes);
      const { vectors: loaded, meta } = PaperVectors.load(file);
      expect(meta).toEqual({ seq: 42 });
      expect(loaded.size).toBe(2);
      expect(loaded.vectorOf('c')).toEqual(vectors.vectorOf('c'));
      expect(loaded.has('b')).toBe(false);
      fs.truncateSync(file, bytes - 5);
      expect(() => PaperVectors.load(file)).toThrow(/truncated or damaged/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers through an attached approximate index, replaying rows written and killed while it was built', () => {
    const rows = unitVectors(2000, 4);
    const keys = Array.from({ length: 2000 }, (_, i) => `p${i}`);
    const vectors = new PaperVectors(D);
    vectors.setMany(keys, rows);
    const covered = vectors.rowCount;
    const index = VectorIndex.build(vectors.rowsCopy(), D, { lists: 20 });
    index.calibrate(0.99, 10);
    // Changes made while the index was being built elsewhere.
    const fresh = unitVectors(1, 5);
    vectors.set('new', fresh);
    vectors.set('p1', row(rows, 2));
    vectors.delete('p2');
    vectors.attachIndex(index, covered);
    expect(vectors.approximate).toBe(true);
    expect(vectors.nearest(fresh, 1)[0]!.key).toBe('new');
    const nearP2 = vectors.nearest(row(rows, 2), 3).map((h) => h.key);
    expect(nearP2[0]).toBe('p1');
    expect(nearP2).not.toContain('p2');
    // Changes after attaching go to the index too.
    vectors.delete('new');
    vectors.set('later', fresh);
    expect(vectors.nearest(fresh, 1)[0]!.key).toBe('later');
    // Its answers agree with exact search on most neighbours.
    const queries = unitVectors(20, 6);
    let overlap = 0;
    const exact = new PaperVectors(D);
    for (const key of keys) if (vectors.has(key)) exact.set(key, vectors.vectorOf(key)!);
    exact.set('later', fresh);
    for (let q = 0; q < 20; q++) {
      const want = new Set(exact.nearest(row(queries, q), 10).map((h) => h.key));
      overlap += vectors.nearest(row(queries, q), 10).filter((h) => want.has(h.key)).length;
    }
    expect(overlap / 200).toBeGreaterThanOrEqual(0.9);
  });

  it('reads its rows from the attached index (no second copy), and gets them back to compact or save', () => {
    const rows = unitVectors(1500, 8);
    const keys = Array.from({ length: 1500 }, (_, i) => `p${i}`);
    const vectors = new PaperVectors(D);
    vectors.setMany(keys, rows);
    vectors.attachIndex(VectorIndex.build(vectors.rowsCopy(), D, { lists: 16 }), vectors.rowCount);
    const later = unitVectors(1, 9);
    vectors.set('later', later);
    vectors.delete('p3');
    expect(Array.from(vectors.vectorOf('p7')!)).toEqual(Array.from(row(rows, 7)));
    expect(Array.from(vectors.vectorOf('later')!)).toEqual(Array.from(later));
    expect(vectors.cosine('p7', row(rows, 7))).toBeCloseTo(1, 5);
    expect(vectors.vectorOf('p3')).toBeNull();
    const copy = vectors.rowsCopy();
    expect(Array.from(copy.subarray(1500 * D, 1501 * D))).toEqual(Array.from(later));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paper-vectors-'));
    try {
      vectors.save(path.join(dir, 'v.vec'));
      const loaded = PaperVectors.load(path.join(dir, 'v.vec')).vectors;
      expect(loaded.size).toBe(1500);
      expect(Array.from(loaded.vectorOf('p1499')!)).toEqual(Array.from(row(rows, 1499)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Compaction detaches the index and scans the rows it took back, exactly.
    vectors.compact();
    expect(vectors.approximate).toBe(false);
    expect(vectors.nearest(row(rows, 11), 1)[0]).toEqual({ key: 'p11', score: expect.closeTo(1, 5) });
    expect(vectors.nearest(later, 1)[0]!.key).toBe('later');
  });
});
