import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.js';
import { createDotKernels, wasmSimdAvailable } from './wasm-dot-kernels.js';

describe('WebAssembly SIMD dot-product kernels', () => {
  it('validate on this runtime', () => {
    expect(wasmSimdAvailable()).toBe(true);
  });

  it('scanI8 computes the exact integer dot product of every row', () => {
    const w = 64;
    const n = 37;
    const random = seededRandom(3);
    const k = createDotKernels(w * 2 + n * 4 + n * w);
    const rowsAt = w * 2 + n * 4;
    const query = new Int16Array(k.memory.buffer, 0, w);
    const rows = new Int8Array(k.memory.buffer, rowsAt, n * w);
    for (let j = 0; j < w; j++) query[j] = Math.round((random() * 2 - 1) * 32767);
    for (let i = 0; i < n * w; i++) rows[i] = Math.round((random() * 2 - 1) * 127);
    k.scanI8(0, rowsAt, n, w, w * 2);
    const out = new Int32Array(k.memory.buffer, w * 2, n);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let j = 0; j < w; j++) s += rows[r * w + j]! * query[j]!;
      expect(out[r]).toBe(s);
    }
  });

  it('scanF32 computes float dot products (to rounding) and handles zero rows', () => {
    const w = 32;
    const n = 9;
    const random = seededRandom(5);
    const k = createDotKernels(w * 4 + n * 4 + n * w * 4);
    const rowsAt = w * 4 + n * 4;
    const query = new Float32Array(k.memory.buffer, 0, w);
    const rows = new Float32Array(k.memory.buffer, rowsAt, n * w);
    for (let j = 0; j < w; j++) query[j] = random() - 0.5;
    for (let i = 0; i < (n - 1) * w; i++) rows[i] = random() - 0.5;
    k.scanF32(0, rowsAt, n, w, w * 4);
    const out = new Float32Array(k.memory.buffer, w * 4, n);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let j = 0; j < w; j++) s += rows[r * w + j]! * query[j]!;
      expect(out[r]).toBeCloseTo(s, 5);
    }
    expect(out[n - 1]).toBe(0);
  });
});
