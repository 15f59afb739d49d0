/**
 * The small dense linear algebra the representations need, on row-major Float32/Float64
 * arrays: Gram matrices, a symmetric eigen-solver (cyclic Jacobi; the matrices here are at
 * most a few hundred wide) and column orthonormalization.
 */

/** G = A^T A for A (rows x width, row-major); G is width x width, Float64. */
export function gram(a: Float32Array, rows: number, width: number): Float64Array {
  const g = new Float64Array(width * width);
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    for (let i = 0; i < width; i++) {
      const ai = a[o + i]!;
      if (ai === 0) continue;
      const gi = i * width;
      for (let j = i; j < width; j++) g[gi + j]! += ai * a[o + j]!;
    }
  }
  for (let i = 0; i < width; i++) for (let j = 0; j < i; j++) g[i * width + j] = g[j * width + i]!;
  return g;
}

/**
 * Eigen-decomposition of a symmetric matrix (n x n, row-major) by cyclic Jacobi rotations.
 * Returns eigenvalues in descending order and the matching eigenvectors as columns of
 * `vectors` (row-major n x n).
 */
export function symmetricEigen(matrix: Float64Array, n: number, maxSweeps = 60): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i]! ** 2;
      for (let j = i + 1; j < n; j++) off += a[i * n + j]! ** 2;
    }
    if (off <= 1e-22 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src]!;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors };
}

/** A (rows x width) times B (width x cols, Float64 row-major) -> rows x cols, Float32. */
export function multiplySmall(a: Float32Array, rows: number, width: number, b: Float64Array, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  const row = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    row.fill(0);
    const o = r * width;
    for (let i = 0; i < width; i++) {
      const ai = a[o + i]!;
      if (ai === 0) continue;
      const bi = i * cols;
      for (let j = 0; j < cols; j++) row[j]! += ai * b[bi + j]!;
    }
    out.set(row, r * cols);
  }
  return out;
}

/**
 * Orthonormal basis of the column space of A (rows x width) by shifted CholeskyQR2: factor
 * A^T A + shift I = R^T R, Q = A R^-1, twice. The tiny shift keeps the factorization defined
 * when columns are (nearly) dependent; the second pass restores orthogonality (power iterations
 * only need one). O(rows width^2), far cheaper than an eigen-decomposition per iteration.
 */
export function orthonormalizeColumns(a: Float32Array, rows: number, width: number, passes = 2): { q: Float32Array; width: number } {
  let q = a;
  for (let pass = 0; pass < passes; pass++) {
    const g = gram(q, rows, width);
    let maxDiag = 0;
    for (let i = 0; i < width; i++) maxDiag = Math.max(maxDiag, g[i * width + i]!);
    const shift = pass === 0 ? Math.max(maxDiag, 1e-300) * 1e-10 : Math.max(maxDiag, 1e-300) * 1e-14;
    for (let i = 0; i < width; i++) g[i * width + i]! += shift;
    const r = cholesky(g, width);
    q = multiplySmall(q, rows, width, upperTriangularInverse(r, width), width);
  }
  return { q, width };
}

/** Upper-triangular R with R^T R = g (g symmetric positive definite, n x n). */
function cholesky(g: Float64Array, n: number): Float64Array {
  const r = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = g[j * n + j]!;
    for (let k = 0; k < j; k++) d -= r[k * n + j]! ** 2;
    const rjj = Math.sqrt(Math.max(d, 1e-300));
    r[j * n + j] = rjj;
    for (let i = j + 1; i < n; i++) {
      let s = g[j * n + i]!;
      for (let k = 0; k < j; k++) s -= r[k * n + j]! * r[k * n + i]!;
      r[j * n + i] = s / rjj;
    }
  }
  return r;
}

/** Inverse of an upper-triangular n x n matrix. */
function upperTriangularInverse(r: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    inv[j * n + j] = 1 / r[j * n + j]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[i * n + k]! * inv[k * n + j]!;
      inv[i * n + j] = -s / r[i * n + i]!;
    }
  }
  return inv;
}

/** Scales each row of a (rows x width) to unit length (zero rows stay zero). */
export function normalizeRows(a: Float32Array, rows: number, width: number): void {
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < width; c++) s += a[r * width + c]! ** 2;
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let c = 0; c < width; c++) a[r * width + c]! *= inv;
  }
}
