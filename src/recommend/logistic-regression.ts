/**
 * A linear classifier for "would this member like this paper": L2-regularized logistic
 * regression trained by stochastic gradient descent over sparse vectors, with positives and
 * negatives weighted to balance (a member has a handful of positives against many sampled
 * negatives; arxiv-sanity's SVM uses class_weight="balanced" for the same reason). Training is
 * deterministic: the example order comes from a seeded PRNG.
 *
 * The L2 shrink touches every weight on every step; it is applied lazily by keeping the weights
 * as `scale * v`, so a step costs O(non-zeros of the example), not O(dimensions).
 */
import { seededRandom } from '../search/seeded-random.js';
import { dot, type SparseVector } from './hashed-tfidf.js';

export interface TrainingExample {
  x: SparseVector;
  /** 1 for a positive (upvoted or saved), 0 for a sampled negative. */
  y: 0 | 1;
}

export interface LogisticRegressionOptions {
  dimensions: number;
  /** L2 strength (default 1e-4). */
  lambda?: number;
  /** Passes over the data (default 30). */
  epochs?: number;
  /** Initial learning rate (default 0.5), decayed as lr0 / (1 + lr0 * lambda * t). */
  learningRate?: number;
  /** Seed of the example order (default 1). */
  seed?: number;
}

export interface LinearModel {
  /** Raw margin w·x + b; higher means more like the positives. */
  score(x: SparseVector): number;
  /** Estimated probability of a positive. */
  probability(x: SparseVector): number;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function trainLogisticRegression(examples: readonly TrainingExample[], options: LogisticRegressionOptions): LinearModel {
  const lambda = options.lambda ?? 1e-4;
  const epochs = options.epochs ?? 30;
  const lr0 = options.learningRate ?? 0.5;
  const random = seededRandom(options.seed ?? 1);
  const v = new Float64Array(options.dimensions);
  let scale = 1;
  let bias = 0;

  const positives = examples.filter((e) => e.y === 1).length;
  const negatives = examples.length - positives;
  // Balanced class weights: each class contributes half of the total loss.
  const weightOf = (y: 0 | 1) => (y === 1 ? examples.length / (2 * Math.max(1, positives)) : examples.length / (2 * Math.max(1, negatives)));

  const order = examples.map((_, i) => i);
  let t = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    // Fisher-Yates with the seeded PRNG.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const { x, y } = examples[index]!;
      const lr = lr0 / (1 + lr0 * lambda * t++);
      const p = sigmoid(scale * dot(v, x) + bias);
      const g = (p - y) * weightOf(y);
      scale *= 1 - lr * lambda;
      if (scale < 1e-9) {
        // Fold the scale back into the weights before it underflows.
        for (let i = 0; i < v.length; i++) v[i] = v[i]! * scale;
        scale = 1;
      }
      const step = (lr * g) / scale;
      for (let i = 0; i < x.indices.length; i++) v[x.indices[i]!] = v[x.indices[i]!]! - step * x.values[i]!;
      bias -= lr * g;
    }
  }

  const weights = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) weights[i] = v[i]! * scale;
  return {
    score: (x) => dot(weights, x) + bias,
    probability: (x) => sigmoid(dot(weights, x) + bias),
  };
}
