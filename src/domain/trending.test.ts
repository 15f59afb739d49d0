import { describe, expect, it } from 'vitest';
import { compareNewest, compareTrending, trendingScore } from './trending.js';

const H = 3_600_000;
const ref = Date.parse('2012-03-16T00:00:00Z');

describe('trending', () => {
  it('decays with age: the same votes count less as the paper gets older', () => {
    expect(trendingScore(10, '2012-03-15T23:00:00Z', ref)).toBeGreaterThan(trendingScore(10, '2012-03-14T00:00:00Z', ref));
    expect(trendingScore(0, '2012-03-15T23:00:00Z', ref)).toBe(0);
  });

  it('lets a fresh paper with a few votes beat an old one with a few more', () => {
    const fresh = { arxivId: '1203.0002', upvotes: 3, enteredAt: new Date(ref - 2 * H).toISOString() };
    const old = { arxivId: '1203.0001', upvotes: 5, enteredAt: new Date(ref - 48 * H).toISOString() };
    expect([old, fresh].sort(compareTrending(ref))[0]).toBe(fresh);
  });

  it('breaks ties by recency, then by id, so the order is total', () => {
    const a = { arxivId: '1203.0001', upvotes: 0, enteredAt: '2012-03-14' };
    const b = { arxivId: '1203.0002', upvotes: 0, enteredAt: '2012-03-15' };
    const c = { arxivId: '1203.0003', upvotes: 0, enteredAt: '2012-03-15' };
    expect([a, b, c].sort(compareTrending(ref)).map((x) => x.arxivId)).toEqual(['1203.0003', '1203.0002', '1203.0001']);
    expect([a, b, c].sort(compareNewest).map((x) => x.arxivId)).toEqual(['1203.0003', '1203.0002', '1203.0001']);
  });

  it('ranks more upvotes first among papers of the same age', () => {
    const items = [1, 7, 3].map((upvotes, i) => ({ arxivId: `1203.000${i}`, upvotes, enteredAt: '2012-03-15' }));
    expect(items.sort(compareTrending(ref)).map((x) => x.upvotes)).toEqual([7, 3, 1]);
  });
});
