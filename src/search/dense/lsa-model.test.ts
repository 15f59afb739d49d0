import { describe, expect, it } from 'vitest';
import { LsaModel } from './lsa-model.js';

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

describe('LSA model', () => {
  // Two topics. "heart" and "cardiac" never share a document but share their contexts.
  const corpus = [
    'heart ecg arrhythmia patients',
    'cardiac ecg arrhythmia monitoring',
    'heart failure patients ecg',
    'cardiac failure monitoring ecg',
    'heart rhythm arrhythmia',
    'cardiac rhythm arrhythmia',
    'graph coloring planar graphs',
    'planar graph algorithms coloring',
    'graph algorithms shortest paths',
    'shortest paths planar graph',
  ].map((s) => s.split(' '));

  it('places a document near a query it shares no word with, through co-occurrence', () => {
    const { model, vectors } = LsaModel.fit(corpus, { dimensions: 2, minDf: 1 });
    const q = model.embed(['heart']);
    const d = model.dimensions;
    const row = (i: number) => vectors.subarray(i * d, i * d + d);
    // Document 1 says "cardiac", never "heart"; document 6 is about graphs.
    expect(dot(q, row(1))).toBeGreaterThan(0.9);
    expect(dot(q, row(1))).toBeGreaterThan(dot(q, row(6)) + 0.5);
  });

  it('returns unit vectors, and zeros for unknown words', () => {
    const { model, vectors } = LsaModel.fit(corpus, { dimensions: 2, minDf: 1 });
    for (let i = 0; i < corpus.length; i++) expect(dot(vectors.subarray(i * 2, i * 2 + 2), vectors.subarray(i * 2, i * 2 + 2))).toBeCloseTo(1, 5);
    expect([...model.embed(['unseen'])]).toEqual([0, 0]);
    const again = model.embedMany([corpus[3]!]);
    expect(dot(again, vectors.subarray(6, 8))).toBeCloseTo(1, 5);
  });
});
