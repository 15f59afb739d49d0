import { describe, expect, it } from 'vitest';
import { averagePrecision, evaluateRun, ndcgAt, recallAt } from './metrics.js';

const binary = new Map([
  ['a', 1],
  ['c', 1],
  ['z', 1],
  ['n', 0],
]);

describe('metrics on hand-computed examples', () => {
  it('average precision: relevant at ranks 1 and 3 of 3 relevant', () => {
    // (1/1 + 2/3) / 3 = 0.5555...
    expect(averagePrecision(['a', 'b', 'c', 'n'], binary)).toBeCloseTo((1 + 2 / 3) / 3, 12);
  });

  it('average precision is 1 for a perfect ranking and 0 without relevant hits', () => {
    expect(averagePrecision(['a', 'c', 'z'], binary)).toBe(1);
    expect(averagePrecision(['b', 'n'], binary)).toBe(0);
  });

  it('nDCG@10 with binary grades', () => {
    // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) + 1/log2(4).
    const idcg = 1 + 1 / Math.log2(3) + 0.5;
    expect(ndcgAt(['a', 'b', 'c'], binary, 10)).toBeCloseTo(1.5 / idcg, 12);
  });

  it('nDCG uses gain 2^g - 1 and ideal order from the judgments', () => {
    const graded = new Map([
      ['x', 2],
      ['y', 1],
    ]);
    // Ranked y, x: DCG = 1/1 + 3/log2(3); ideal x, y: 3/1 + 1/log2(3).
    expect(ndcgAt(['y', 'x'], graded, 10)).toBeCloseTo((1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3)), 12);
    expect(ndcgAt(['x', 'y'], graded, 10)).toBeCloseTo(1, 12);
  });

  it('nDCG@k ignores documents below rank k', () => {
    expect(ndcgAt(['b', 'a'], binary, 1)).toBe(0);
  });

  it('recall@k', () => {
    expect(recallAt(['a', 'b', 'c', 'z'], binary, 3)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(['a', 'b', 'c', 'z'], binary, 100)).toBe(1);
  });

  it('counts a repeated document once', () => {
    expect(averagePrecision(['a', 'a', 'c'], binary)).toBeCloseTo((1 + 2 / 2) / 3, 12);
  });

  it('averages over judged queries only; a missing run scores 0', () => {
    const qrels = new Map([
      ['q1', new Map([['a', 1]])],
      ['q2', new Map([['b', 1]])],
      ['q3', new Map([['c', 0]])],
    ]);
    const m = evaluateRun(new Map([['q1', ['a']]]), qrels);
    expect(m.queries).toBe(2);
    expect(m.map).toBeCloseTo(0.5, 12);
    expect(m.ndcg10).toBeCloseTo(0.5, 12);
  });
});
