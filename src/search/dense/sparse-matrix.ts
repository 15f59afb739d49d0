/**
 * A sparse matrix in compressed-sparse-row form (documents x terms, float weights) with the two
 * products randomized SVD needs against dense row-major matrices: X * M and X^T * M.
 */
export class SparseMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    /** rowStart[r]..rowStart[r+1] index `colIndex`/`values` for row r. */
    readonly rowStart: Uint32Array,
    readonly colIndex: Uint32Array,
    readonly values: Float32Array,
  ) {}

  get nonZeros(): number {
    return this.values.length;
  }

  /** X (rows x cols) times M (cols x width, row-major) -> rows x width, row-major. */
  multiply(m: Float32Array, width: number): Float32Array {
    const out = new Float32Array(this.rows * width);
    for (let r = 0; r < this.rows; r++) {
      const o = r * width;
      for (let p = this.rowStart[r]!; p < this.rowStart[r + 1]!; p++) {
        const v = this.values[p]!;
        const base = this.colIndex[p]! * width;
        for (let c = 0; c < width; c++) out[o + c]! += v * m[base + c]!;
      }
    }
    return out;
  }

  /** X^T (cols x rows) times M (rows x width, row-major) -> cols x width, row-major. */
  multiplyTransposed(m: Float32Array, width: number): Float32Array {
    const out = new Float32Array(this.cols * width);
    for (let r = 0; r < this.rows; r++) {
      const base = r * width;
      for (let p = this.rowStart[r]!; p < this.rowStart[r + 1]!; p++) {
        const v = this.values[p]!;
        const o = this.colIndex[p]! * width;
        for (let c = 0; c < width; c++) out[o + c]! += v * m[base + c]!;
      }
    }
    return out;
  }
}
