import { describe, expect, it } from 'vitest';
import { gram, orthonormalizeColumns, symmetricEigen } from './dense-linear-algebra.js';
import { gaussianMatrix } from './randomized-svd.js';

describe('dense linear algebra', () => {
  it('finds the eigenvalues of a known symmetric matrix', () => {
    // [[2,1],[1,2]] has eigenvalues 3 and 1 with eigenvectors (1,1)/sqrt2 and (1,-1)/sqrt2.
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0]! * vectors[2]!).toBeGreaterThan(0);
  });

  it('eigen-decomposition reconstructs a random symmetric matrix', () => {
    const n = 12;
    const a = new Float64Array(n * n);
    const r = gaussianMatrix(n * n, 3);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = r[i * n + j]!;
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
        expect(s).toBeCloseTo(a[i * n + j]!, 9);
      }
    }
  });

  it('orthonormalizes columns', () => {
    const rows = 200;
    const width = 16;
    const { q, width: w } = orthonormalizeColumns(gaussianMatrix(rows * width, 5), rows, width);
    expect(w).toBe(width);
    const g = gram(q, rows, width);
    for (let i = 0; i < width; i++) for (let j = 0; j < width; j++) expect(g[i * width + j]).toBeCloseTo(i === j ? 1 : 0, 4);
  });
});
