import { describe, expect, it } from 'vitest';
import { linearFusion, reciprocalRankFusion } from './hybrid-fusion.js';

describe('hybrid fusion', () => {
  const lexical = [
    { key: 'a', score: 10 },
    { key: 'b', score: 5 },
  ];
  const dense = [
    { key: 'c', score: 0.9 },
    { key: 'b', score: 0.8 },
  ];

  it('blends normalized BM25 with cosine', () => {
    const fused = linearFusion(lexical, dense, 0.5, (key) => (key === 'a' ? 0.1 : 0));
    // a: 0.5*1 + 0.5*0.1 = 0.55; b: 0.5*0.5 + 0.5*0.8 = 0.65; c: 0.5*0.9 = 0.45.
    expect(fused.map((h) => h.key)).toEqual(['b', 'a', 'c']);
    expect(fused[0]!.score).toBeCloseTo(0.65, 12);
    expect(fused[1]!.score).toBeCloseTo(0.55, 12);
  });

  it('alpha 0 keeps the lexical order, alpha 1 the dense order', () => {
    expect(linearFusion(lexical, dense, 0).slice(0, 2).map((h) => h.key)).toEqual(['a', 'b']);
    expect(linearFusion(lexical, dense, 1).slice(0, 2).map((h) => h.key)).toEqual(['c', 'b']);
  });

  it('reciprocal rank fusion rewards agreement', () => {
    const fused = reciprocalRankFusion([lexical, dense], 60);
    expect(fused[0]!.key).toBe('b');
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 62, 12);
  });
});
