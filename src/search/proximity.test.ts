import { describe, expect, it } from 'vitest';
import type { DecodedDoc } from './forward-index.js';
import { type ProximityParams, containsPhrase, proximityScore } from './proximity.js';

const doc = (terms: number[], positions: number[]): DecodedDoc => ({ terms: Int32Array.from(terms), positions: Int32Array.from(positions) });
const query = { termIds: Int32Array.from([1, 2]), idf: Float64Array.from([2, 3]) };
const params: ProximityParams = { weight: 1, window: 5, pairs: 'all', depth: 100 };
const phrase = { termIds: Int32Array.from([1, 2]), offsets: Int32Array.from([0, 1]) };

describe('proximityScore', () => {
  it('is BM25TP: min idf x (k1 + 1) x acc / (k1 + acc), acc summing 1 / distance^2', () => {
    const k1 = 1.2;
    // Each occurrence pairs with the latest occurrence of the other term before it:
    // 2@1 with 1@0 (distance 1), 1@3 with 2@1 (2), 2@5 with 1@3 (2).
    const score = proximityScore(doc([1, 2, 9, 1, 7, 2], [0, 1, 2, 3, 4, 5]), [6], [1], query, k1, params);
    const acc = 1 + 1 / 4 + 1 / 4;
    expect(score).toBeCloseTo((2 * (k1 + 1) * acc) / (k1 + acc), 12);
  });

  it('rewards closer terms, ignores pairs beyond the window and across fields', () => {
    const near = proximityScore(doc([1, 2], [0, 1]), [2], [1], query, 1.2, params);
    const far = proximityScore(doc([1, 9, 9, 2], [0, 1, 2, 3]), [4], [1], query, 1.2, params);
    expect(near).toBeGreaterThan(far);
    expect(far).toBeGreaterThan(0);
    expect(proximityScore(doc([1, 2], [0, 6]), [2], [1], query, 1.2, params)).toBe(0);
    // Term 1 ends the title, term 2 starts the abstract: no pair.
    expect(proximityScore(doc([1, 2], [0, 0]), [1, 2], [1, 1], query, 1.2, params)).toBe(0);
    // Field weights scale the accumulator.
    expect(proximityScore(doc([1, 2], [0, 1]), [2], [3], query, 1.2, params)).toBeGreaterThan(near);
  });

  it('needs two query terms; "adjacent" scores only neighbours in the query', () => {
    expect(proximityScore(doc([1, 2], [0, 1]), [2], [1], { termIds: Int32Array.from([1]), idf: Float64Array.from([2]) }, 1.2, params)).toBe(0);
    const three = { termIds: Int32Array.from([1, 2, 3]), idf: Float64Array.from([1, 1, 1]) };
    const d = doc([1, 3], [0, 1]);
    expect(proximityScore(d, [2], [1], three, 1.2, params)).toBeGreaterThan(0);
    expect(proximityScore(d, [2], [1], three, 1.2, { ...params, pairs: 'adjacent' })).toBe(0);
  });
});

describe('containsPhrase', () => {
  it('finds the terms at their offsets within one field', () => {
    expect(containsPhrase(doc([5, 1, 2], [0, 1, 2]), [3], phrase)).toBe(true);
    expect(containsPhrase(doc([2, 1], [0, 1]), [2], phrase)).toBe(false);
    expect(containsPhrase(doc([1, 9, 2], [0, 1, 2]), [3], phrase)).toBe(false);
    expect(containsPhrase(doc([1, 2], [0, 0]), [1, 2], phrase)).toBe(false);
    // A stop word inside the phrase ("cost of living"): offsets 0 and 2.
    expect(containsPhrase(doc([1, 2], [0, 2]), [2], { termIds: Int32Array.from([1, 2]), offsets: Int32Array.from([0, 2]) })).toBe(true);
    // A compound's joined form shares a position with a part and does not break the phrase.
    expect(containsPhrase(doc([1, 7, 8, 2], [0, 0, 1, 1]), [4], { termIds: Int32Array.from([1, 8]), offsets: Int32Array.from([0, 1]) })).toBe(true);
  });
});
