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

  it('rescales each side from its floor rank (0) to its best candidate (1), then blends', () => {
    const fused = linearFusion(lexical, dense, 0.5, (key) => (key === 'a' ? 0.85 : 0), 2);
    // Lexical: a 1, b 0 (b sits at the floor). Dense: c 1, b 0; a's true cosine 0.85 -> 0.5.
    // a: 0.5*1 + 0.5*0.5 = 0.75; c: unlisted lexically, bounded by b's 0 -> 0.5*1 = 0.5; b: 0.
    expect(fused.map((h) => h.key)).toEqual(['a', 'c', 'b']);
    expect(fused[0]!.score).toBeCloseTo(0.75, 12);
    expect(fused[1]!.score).toBeCloseTo(0.5, 12);
    expect(fused[2]!.score).toBeCloseTo(0, 12);
  });

  it('lets a paper only the vector side found outrank weak lexical candidates of a long query', () => {
    // A long query: 30 lexical candidates (the product's depth) all within 25% of the best score.
    const flat = Array.from({ length: 30 }, (_, i) => ({ key: `w${i}`, score: 10 - i * 0.075 }));
    const near = [{ key: 'meaning', score: 0.9 }, ...Array.from({ length: 29 }, (_, i) => ({ key: `w${i}`, score: 0.5 - i * 0.001 }))];
    const fused = linearFusion(flat, near, 0.3, (key) => near.find((h) => h.key === key)?.score ?? 0.4);
    const rank = fused.findIndex((h) => h.key === 'meaning');
    expect(rank).toBeGreaterThan(0);
    expect(rank).toBeLessThan(20);
    // Dividing by the best score alone would put it below all 30 (0.3 * 0.9 < 0.7 * 7.8/10).
    expect(0.3 * 0.9).toBeLessThan(0.7 * (flat.at(-1)!.score / 10));
  });

  it('gives a side with a single candidate, or all tied, full weight for what it listed', () => {
    const fused = linearFusion([{ key: 'only', score: 3 }], [{ key: 'v', score: 0.7 }], 0.5);
    expect(fused.map((h) => h.key)).toEqual(['only', 'v']);
    expect(fused[0]!.score).toBeCloseTo(0.5 + 0.5 * 1, 12);
  });

  it('alpha 0 keeps the lexical order, alpha 1 the dense order', () => {
    expect(linearFusion(lexical, dense, 0).slice(0, 2).map((h) => h.key)).toEqual(['a', 'b']);
    expect(linearFusion(lexical, dense, 1, (key) => (key === 'a' ? 0.1 : 0)).slice(0, 2).map((h) => h.key)).toEqual(['c', 'b']);
  });

  it('reciprocal rank fusion rewards agreement', () => {
    const fused = reciprocalRankFusion([lexical, dense], 60);
    expect(fused[0]!.key).toBe('b');
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 62, 12);
  });
});
