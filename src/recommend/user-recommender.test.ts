import { describe, expect, it } from 'vitest';
import { createScientificAnalyzer } from '../search/tokenizer.js';
import { createHashedTfidf, hashTerm } from './hashed-tfidf.js';
import { trainLogisticRegression } from './logistic-regression.js';
import { paperFeatures, recommendForUser, recommendFromCounts, type PaperText } from './user-recommender.js';

const p = (key: string, title: string, abstract: string): PaperText => ({ key, title, abstract });

const positives = [
  p('pos1', 'Deep learning for cardiac MRI segmentation', 'We segment the left ventricle in cardiac magnetic resonance images with a convolutional network.'),
  p('pos2', 'Electrocardiogram representation learning', 'Self-supervised representation learning on 12-lead ECG signals improves arrhythmia detection.'),
  p('pos3', 'Heart failure prediction from echocardiography', 'A transformer predicts heart failure from echocardiography videos of the ventricle.'),
];

const negatives = [
  p('neg1', 'Dark matter halos in galaxy clusters', 'We measure the mass profile of dark matter halos using weak gravitational lensing.'),
  p('neg2', 'Cohomology of Lie algebras', 'We compute the cohomology of nilpotent Lie algebras over fields of positive characteristic.'),
  p('neg3', 'Superconductivity in twisted bilayer graphene', 'Transport measurements reveal superconducting phases near the magic angle.'),
  p('neg4', 'A polynomial algorithm for matching', 'We give a faster algorithm for maximum matching in bipartite graphs.'),
  p('neg5', 'Gravitational waves from binary black holes', 'Signals from merging black holes constrain general relativity.'),
  p('neg6', 'Prime gaps and the Riemann hypothesis', 'Bounds on gaps between consecutive primes under the Riemann hypothesis.'),
];

const candidates = [
  p('astro', 'Weak lensing survey of galaxy clusters', 'Dark matter maps from a new weak lensing survey of distant galaxy clusters.'),
  p('algebra', 'Representations of Lie algebras in positive characteristic', 'We classify simple modules of restricted Lie algebras.'),
  p('cardiac', 'Segmenting the left ventricle in cardiac MRI', 'A convolutional network for left ventricle segmentation in cardiac magnetic resonance imaging.'),
  p('graphs', 'Matching in bipartite graphs', 'A simpler algorithm for bipartite matching with near-linear running time.'),
];

describe('hashed TF-IDF', () => {
  it('hashes terms stably and gives unit-length vectors with shared terms overlapping', () => {
    expect(hashTerm('cardiac')).toBe(hashTerm('cardiac'));
    expect(hashTerm('cardiac')).not.toBe(hashTerm('cardia'));
    const tfidf = createHashedTfidf(createScientificAnalyzer(), { dimensions: 1 << 12 });
    const [a, b, c] = tfidf.fitTransform(['cardiac imaging of the heart', 'heart imaging', 'galaxy clusters']);
    for (const v of [a!, b!, c!]) expect(Math.hypot(...v.values)).toBeCloseTo(1, 5);
    const overlap = (x: typeof a, y: typeof a) => [...x!.indices].filter((i) => y!.indices.includes(i)).length;
    expect(overlap(a, b)).toBeGreaterThan(0);
    expect(overlap(a, c)).toBe(0);
  });

  it('refuses a bucket count that is not a power of two', () => {
    expect(() => createHashedTfidf(createScientificAnalyzer(), { dimensions: 1000 })).toThrow(RangeError);
  });
});

describe('logistic regression', () => {
  it('separates two linearly separable classes', () => {
    const tfidf = createHashedTfidf(createScientificAnalyzer(), { dimensions: 1 << 10 });
    const texts = ['heart heart', 'cardiac heart', 'galaxy', 'galaxy star', 'heart cardiac ventricle', 'star cluster'];
    const x = tfidf.fitTransform(texts);
    const model = trainLogisticRegression(
      [
        { x: x[0]!, y: 1 },
        { x: x[1]!, y: 1 },
        { x: x[2]!, y: 0 },
        { x: x[3]!, y: 0 },
      ],
      { dimensions: 1 << 10, seed: 7 },
    );
    expect(model.probability(x[4]!)).toBeGreaterThan(0.5);
    expect(model.probability(x[5]!)).toBeLessThan(0.5);
  });
});

describe('recommendForUser', () => {
  it('ranks a paper similar to the positives above unrelated ones', () => {
    const ranked = recommendForUser({ positives, negatives, candidates, limit: 4, seed: 42 });
    expect(ranked.map((r) => r.key)[0]).toBe('cardiac');
    expect(ranked).toHaveLength(4);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
    for (const r of ranked) expect(r.score).toBeGreaterThanOrEqual(0);
  });

  it('is deterministic for a seed, and the top pick does not depend on it', () => {
    const a = recommendForUser({ positives, negatives, candidates, limit: 4, seed: 3 });
    const b = recommendForUser({ positives, negatives, candidates, limit: 4, seed: 3 });
    expect(b).toEqual(a);
    for (const seed of [1, 2, 99]) expect(recommendForUser({ positives, negatives, candidates, limit: 1, seed })[0]!.key).toBe('cardiac');
  });

  it('returns nothing without positives or candidates, and honours the limit', () => {
    expect(recommendForUser({ positives: [], negatives, candidates, limit: 5, seed: 1 })).toEqual([]);
    expect(recommendForUser({ positives, negatives, candidates: [], limit: 5, seed: 1 })).toEqual([]);
    expect(recommendForUser({ positives, negatives, candidates, limit: 2, seed: 1 })).toHaveLength(2);
  });

  it('still ranks when no negatives could be sampled', () => {
    const ranked = recommendForUser({ positives, negatives: [], candidates, limit: 4, seed: 1 });
    expect(ranked[0]!.key).toBe('cardiac');
  });
});

describe('learned vectors in "For you"', () => {
  // Papers whose words share nothing with the member's, told apart only by their vectors.
  const unit = (...xs: number[]) => Float32Array.from(xs.map((x) => x / Math.hypot(...xs)));
  const counted = (papers: readonly PaperText[], vector: (key: string) => Float32Array) => {
    const features = paperFeatures();
    return papers.map((paper) => ({ key: paper.key, counts: features.countPaper(paper), vector: vector(paper.key) }));
  };
  const near = unit(1, 0.1, 0);
  const far = unit(0, 0.1, 1);
  const input = {
    positives: counted(positives, () => near),
    negatives: counted(negatives, () => far),
    // Neither shares a word with the positives; `cardio` is near them in the vector space.
    candidates: counted([p('other', 'Spectral sequences of sheaves', 'Vanishing theorems for coherent sheaves.'), p('cardio', 'Atrial fibrillation screening', 'Wearable photoplethysmography flags atrial fibrillation.')], (key) => (key === 'cardio' ? near : far)),
  };

  it('ranks first the candidate whose vector is like the positives, though it shares no words with them', () => {
    const ranked = recommendFromCounts(input, { limit: 2, seed: 3, vectorWeight: 1 });
    expect(ranked.map((r) => r.key)).toEqual(['cardio', 'other']);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
  });

  it('with weight 0 reads words only, so neither candidate is preferred for its vector', () => {
    const ranked = recommendFromCounts(input, { limit: 2, seed: 3, vectorWeight: 0 });
    expect(Math.abs(ranked[0]!.score - ranked[1]!.score)).toBeLessThan(0.05);
  });
});
