import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './dense-linear-algebra.js';
import { randomizedSvd } from './randomized-svd.js';
import { SparseMatrix } from './sparse-matrix.js';

/** A rows x cols sparse matrix with about `density` non-zeros, from a seeded generator. */
function randomSparse(rows: number, cols: number, density: number, seed: number): { x: SparseMatrix; dense: Float64Array } {
  let a = seed;
  const next = () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
  const dense = new Float64Array(rows * cols);
  const rowStart = new Uint32Array(rows + 1);
  const colIndex: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (next() < density) {
        const v = next() + 0.1;
        dense[r * cols + c] = v;
        colIndex.push(c);
        values.push(v);
      }
    }
    rowStart[r + 1] = colIndex.length;
  }
  return { x: new SparseMatrix(rows, cols, rowStart, Uint32Array.from(colIndex), Float32Array.from(values)), dense };
}

describe('randomized SVD', () => {
  it('matches the exact leading singular values of a sparse matrix', () => {
    const rows = 300;
    const cols = 60;
    const { x, dense } = randomSparse(rows, cols, 0.1, 11);
    // Exact: eigenvalues of X^T X are the squared singular values.
    const xtx = new Float64Array(cols * cols);
    for (let r = 0; r < rows; r++) for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) xtx[i * cols + j]! += dense[r * cols + i]! * dense[r * cols + j]!;
    const exact = symmetricEigen(xtx, cols).values;
    const svd = randomizedSvd(x, 8, { oversample: 20, powerIterations: 3 });
    for (let k = 0; k < 8; k++) expect(svd.singularValues[k]! / Math.sqrt(exact[k]!)).toBeCloseTo(1, 2);
  });

  it('returns orthonormal right singular vectors', () => {
    const { x } = randomSparse(200, 50, 0.15, 5);
    const svd = randomizedSvd(x, 6);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        let s = 0;
        for (let t = 0; t < 50; t++) s += svd.components[t * 6 + i]! * svd.components[t * 6 + j]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 3);
      }
    }
  });
});
