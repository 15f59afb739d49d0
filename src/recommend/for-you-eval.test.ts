import { describe, expect, it } from 'vitest';
import { seededRandom } from '../search/seeded-random.js';
import type { SearchDocument } from '../search/search-document.js';
import { evaluateForYou } from './for-you-eval.js';

const VOCABULARY: Record<string, string[]> = {
  'cs.CV': ['image', 'segmentation', 'convolutional', 'pixel', 'camera', 'detection'],
  'cs.CR': ['encryption', 'attack', 'cipher', 'malware', 'privacy', 'protocol'],
  'cs.LO': ['logic', 'proof', 'modal', 'theorem', 'calculus', 'semantics'],
  'cs.NI': ['network', 'routing', 'wireless', 'packet', 'latency', 'throughput'],
};

/** 1,600 papers, 400 per category, new-style ids in time order, words drawn from the category's vocabulary. */
function corpus(): SearchDocument[] {
  const random = seededRandom(11);
  const categories = Object.keys(VOCABULARY);
  return Array.from({ length: 1600 }, (_, i) => {
    const category = categories[i % categories.length]!;
    const words = () => Array.from({ length: 8 }, () => VOCABULARY[category]![Math.floor(random() * 6)]).join(' ');
    return { key: `1501.${String(i).padStart(5, '0')}`, title: words(), abstract: words(), authors: '', categories: [category] };
  });
}

describe('"For you" evaluation on simulated members', () => {
  it('simulates a member per category, split between train and test, and scores the words-only ranking', () => {
    const figures = evaluateForYou(corpus(), null, 0, [0]);
    expect(figures.map((f) => [f.split, f.members])).toEqual([
      ['train', 2],
      ['test', 2],
    ]);
    // Each category has words of its own: the words alone find the member's papers.
    for (const f of figures) expect(f.precision10).toBe(1);
  });

  it('gives the same figures for the same records and seed', () => {
    const docs = corpus();
    const vectors = new Float32Array(docs.length * 2).map((_, i) => (i % 2 === 0 ? 1 : 0));
    expect(evaluateForYou(docs, vectors, 2, [0, 1], 5)).toEqual(evaluateForYou(docs, vectors, 2, [0, 1], 5));
  });
});
