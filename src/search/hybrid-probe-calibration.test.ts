import { describe, expect, it } from 'vitest';
import { calibrateHybridProbes } from './hybrid-probe-calibration.js';

/**
 * A ranking whose first page is exact from `needed` probes on and loses one of its ten keys
 * per halving below that, for queries where `sensitive(i)`; the others never change.
 */
function ranking(needed: number, sensitive: (i: number) => boolean) {
  const calls: (number | null)[] = [];
  const topKeys = (i: number, probes: number | null): string[] => {
    calls.push(probes);
    const keys = Array.from({ length: 10 }, (_, r) => `q${i}-${r}`);
    if (probes === null || probes >= needed || !sensitive(i)) return keys;
    const lost = Math.min(10, Math.ceil(Math.log2(needed / probes)));
    return [...keys.slice(0, 10 - lost), ...Array.from({ length: lost }, (_, r) => `other-${r}`)];
  };
  return { topKeys, calls };
}

describe('calibrateHybridProbes', () => {
  it('halves the breadth while the first pages agree and stops at the first that does not', async () => {
    const { topKeys, calls } = ranking(100, () => true);
    const result = await calibrateHybridProbes({ from: 800, queries: 20, topKeys, maxReduction: 1000 });
    expect(result.probes).toBe(100);
    expect(result.agreement).toBe(1);
    expect(result.tried).toEqual([
      { probes: 800, agreement: 1 },
      { probes: 400, agreement: 1 },
      { probes: 200, agreement: 1 },
      { probes: 100, agreement: 1 },
      { probes: 50, agreement: 0.9 },
    ]);
    // The exact answers are computed once per query, not once per breadth.
    expect(calls.filter((c) => c === null)).toHaveLength(20);
  });

  it('accepts a breadth where the mean overlap reaches the target, not only a perfect one', async () => {
    // One query in ten loses a key at 50 probes (mean overlap 0.99) and two at 25 (0.98).
    const { topKeys } = ranking(100, (i) => i === 0);
    const lenient = await calibrateHybridProbes({ from: 800, queries: 10, topKeys, target: 0.985, maxReduction: 1000 });
    expect(lenient.tried.map((t) => t.probes)).toEqual([800, 400, 200, 100, 50, 25]);
    expect(lenient.probes).toBe(50);
    expect(lenient.agreement).toBeCloseTo(0.99, 10);
    expect((await calibrateHybridProbes({ from: 800, queries: 10, topKeys, target: 1, maxReduction: 1000 })).probes).toBe(100);
  });

  it('never goes below from / maxReduction, nor above from', async () => {
    const { topKeys } = ranking(1, () => true);
    expect((await calibrateHybridProbes({ from: 800, queries: 5, topKeys })).probes).toBe(100);
    expect((await calibrateHybridProbes({ from: 800, queries: 5, topKeys, maxReduction: 3 })).probes).toBe(267);
    const { topKeys: never } = ranking(Infinity, () => true);
    const kept = await calibrateHybridProbes({ from: 64, queries: 5, topKeys: never });
    expect(kept.probes).toBe(64);
    expect(kept.agreement).toBeLessThan(0.99);
  });

  it('pauses after every query', async () => {
    const { topKeys } = ranking(100, () => true);
    let pauses = 0;
    const result = await calibrateHybridProbes({ from: 200, queries: 3, topKeys, pause: async () => void pauses++ });
    // exact + 200 + 100 + 50, three queries each
    expect(result.tried).toHaveLength(3);
    expect(pauses).toBe(12);
  });
});
