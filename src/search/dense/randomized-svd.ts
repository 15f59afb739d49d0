/**
 * Truncated SVD of a large sparse matrix by the randomized range finder of Halko, Martinsson &
 * Tropp (2011): multiply by a Gaussian test matrix, sharpen with power iterations, project onto
 * the resulting orthonormal basis and solve the small problem exactly. Only the right singular
 * vectors (term space) and singular values are returned; document vectors are X V.
 */
import { gram, multiplySmall, orthonormalizeColumns, symmetricEigen } from './dense-linear-algebra.js';
import type { SparseMatrix } from './sparse-matrix.js';

export interface TruncatedSvd {
  /** Right singular vectors, cols x rank, row-major (one row per term). */
  components: Float32Array;
  singularValues: Float64Array;
  rank: number;
}

export interface RandomizedSvdOptions {
  oversample?: number;
  powerIterations?: number;
  seed?: number;
}

/** Standard normal draws from a seeded generator (mulberry32 + Box-Muller). */
export function gaussianMatrix(size: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const out = new Float32Array(size);
  for (let i = 0; i < size; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const phi = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(phi);
    if (i + 1 < size) out[i + 1] = r * Math.sin(phi);
  }
  return out;
}

export function randomizedSvd(x: SparseMatrix, rank: number, options: RandomizedSvdOptions = {}): TruncatedSvd {
  const l = Math.min(rank + (options.oversample ?? 10), x.rows, x.cols);
  const omega = gaussianMatrix(x.cols * l, options.seed ?? 42);
  const iterations = options.powerIterations ?? 2;
  let { q, width } = orthonormalizeColumns(x.multiply(omega, l), x.rows, l, iterations > 0 ? 1 : 2);
  for (let i = 0; i < iterations; i++) {
    const z = orthonormalizeColumns(x.multiplyTransposed(q, width), x.cols, width, 1);
    ({ q, width } = orthonormalizeColumns(x.multiply(z.q, z.width), x.rows, z.width, i === iterations - 1 ? 2 : 1));
  }
  // B^T = X^T Q (cols x width); B B^T = (B^T)^T B^T.
  const bt = x.multiplyTransposed(q, width);
  const { values, vectors } = symmetricEigen(gram(bt, x.cols, width), width);
  const k = Math.min(rank, width);
  const singularValues = new Float64Array(k);
  const scale = new Float64Array(width * k);
  for (let j = 0; j < k; j++) {
    const sigma = Math.sqrt(Math.max(values[j]!, 0));
    singularValues[j] = sigma;
    for (let i = 0; i < width; i++) scale[i * k + j] = sigma > 0 ? vectors[i * width + j]! / sigma : 0;
  }
  return { components: multiplySmall(bt, x.cols, width, scale, k), singularValues, rank: k };
}
