/**
 * Dot-product scan kernels in WebAssembly SIMD, assembled here from bytes (no toolchain, no
 * download): the vector index's inner loop scores thousands of contiguous rows per query, and
 * JavaScript does one multiply-add at a time where 128-bit SIMD does eight (int8 rows against an
 * int16 query, `i32x4.dot_i16x8_s`) or four (float32). Rows live in the module's memory, which
 * JavaScript grows and fills; every function writes one score per row.
 *
 * - scanI8(query, rows, count, bytesPerRow, out): query is int16 (bytesPerRow of them), rows are
 *   int8; out receives int32 dot products. bytesPerRow must be a multiple of 32.
 * - scanF32(query, rows, count, floatsPerRow, out): float32 rows and query; out receives float32
 *   dot products. floatsPerRow must be a multiple of 8.
 * Arguments are byte addresses in the memory.
 */

/** Unsigned LEB128. */
function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (small constants only). */
function s32(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...u32(items.length), ...items.flat()];
const name = (s: string): number[] => [...u32(s.length), ...Buffer.from(s, 'utf8')];
const section = (id: number, body: number[]): number[] => [id, ...u32(body.length), ...body];

// Opcodes (core and SIMD, prefix 0xfd).
const get = (i: number) => [0x20, ...u32(i)];
const set = (i: number) => [0x21, ...u32(i)];
const tee = (i: number) => [0x22, ...u32(i)];
const i32const = (n: number) => [0x41, ...s32(n)];
const I32_ADD = [0x6a];
const I32_SUB = [0x6b];
const I32_LT_U = [0x49];
const I32_EQZ = [0x45];
const simd = (op: number, ...imm: number[]) => [0xfd, ...u32(op), ...imm];
const memarg = (align: number, offset: number) => [...u32(align), ...u32(offset)];
const V128_LOAD = (offset: number) => simd(0x00, ...memarg(0, offset));
const V128_LOAD8X8_S = (offset: number) => simd(0x01, ...memarg(0, offset));
const V128_ZERO = simd(0x0c, ...new Array<number>(16).fill(0));
const I32X4_EXTRACT = (lane: number) => simd(0x1b, lane);
const F32X4_EXTRACT = (lane: number) => simd(0x1f, lane);
const I32X4_ADD = simd(0xae);
const I32X4_DOT_I16X8_S = simd(0xba);
const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);
const F32_ADD = [0x92];
const I32_STORE = [0x36, ...memarg(2, 0)];
const F32_STORE = [0x38, ...memarg(2, 0)];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = [0x0b];
const BR_IF = (depth: number) => [0x0d, ...u32(depth)];

// Parameters of both functions: 0 query, 1 rows, 2 count, 3 row width, 4 out.
// Locals: 5 j (byte offset inside the row), 6 qj (query address of j), 7 acc (v128).
const Q = 0;
const ROWS = 1;
const COUNT = 2;
const WIDTH = 3;
const OUT = 4;
const J = 5;
const QJ = 6;
const ACC = 7;

/**
 * Shared skeleton: for each row, acc = 0, run `inner` over the row (advancing j by `rowStep`
 * and qj by `queryStep` bytes), store the lane sum, step to the next row and score.
 */
function scanBody(inner: number[], rowStep: number, queryStep: number, rowBytes: number[], laneSum: number[], store: number[]): number[] {
  return [
    ...BLOCK,
    ...get(COUNT),
    ...I32_EQZ,
    ...BR_IF(0),
    ...LOOP,
    ...V128_ZERO,
    ...set(ACC),
    ...i32const(0),
    ...set(J),
    ...get(Q),
    ...set(QJ),
    ...LOOP,
    ...inner,
    ...get(QJ),
    ...i32const(queryStep),
    ...I32_ADD,
    ...set(QJ),
    ...get(J),
    ...i32const(rowStep),
    ...I32_ADD,
    ...tee(J),
    ...rowBytes,
    ...I32_LT_U,
    ...BR_IF(0),
    ...END,
    ...get(OUT),
    ...laneSum,
    ...store,
    ...get(OUT),
    ...i32const(4),
    ...I32_ADD,
    ...set(OUT),
    ...get(ROWS),
    ...rowBytes,
    ...I32_ADD,
    ...set(ROWS),
    ...get(COUNT),
    ...i32const(1),
    ...I32_SUB,
    ...tee(COUNT),
    ...BR_IF(0),
    ...END,
    ...END,
  ];
}

/** int8 rows x int16 query: 32 row bytes per inner step (four dot_i16x8 of 8 lanes). */
function scanI8Body(): number[] {
  const step = (k: number) => [
    ...get(ROWS),
    ...get(J),
    ...I32_ADD,
    ...V128_LOAD8X8_S(8 * k),
    ...get(QJ),
    ...V128_LOAD(16 * k),
    ...I32X4_DOT_I16X8_S,
    ...I32X4_ADD,
  ];
  const inner = [...get(ACC), ...step(0), ...step(1), ...step(2), ...step(3), ...set(ACC)];
  const laneSum = [...get(ACC), ...I32X4_EXTRACT(0), ...get(ACC), ...I32X4_EXTRACT(1), ...I32_ADD, ...get(ACC), ...I32X4_EXTRACT(2), ...I32_ADD, ...get(ACC), ...I32X4_EXTRACT(3), ...I32_ADD];
  return scanBody(inner, 32, 64, get(WIDTH), laneSum, I32_STORE);
}

/** float32 rows and query: 8 floats (32 bytes) per inner step; row width is given in floats. */
function scanF32Body(): number[] {
  const step = (k: number) => [...get(ROWS), ...get(J), ...I32_ADD, ...V128_LOAD(16 * k), ...get(QJ), ...V128_LOAD(16 * k), ...F32X4_MUL, ...F32X4_ADD];
  const inner = [...get(ACC), ...step(0), ...step(1), ...set(ACC)];
  const laneSum = [...get(ACC), ...F32X4_EXTRACT(0), ...get(ACC), ...F32X4_EXTRACT(1), ...F32_ADD, ...get(ACC), ...F32X4_EXTRACT(2), ...F32_ADD, ...get(ACC), ...F32X4_EXTRACT(3), ...F32_ADD];
  // Row bytes = floats * 4 (shift left by 2).
  const rowBytes = [...get(WIDTH), ...i32const(2), 0x74];
  return scanBody(inner, 32, 32, rowBytes, laneSum, F32_STORE);
}

function moduleBytes(): Uint8Array {
  const I32 = 0x7f;
  const V128 = 0x7b;
  const type = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0x00];
  const body = (code: number[]) => {
    const locals = vec([[...u32(2), I32], [...u32(1), V128]]);
    const b = [...locals, ...code, ...END];
    return [...u32(b.length), ...b];
  };
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([type])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...u32(1)]])),
    ...section(3, vec([[0], [0]])),
    ...section(7, vec([[...name('scanI8'), 0x00, 0], [...name('scanF32'), 0x00, 1]])),
    ...section(10, vec([body(scanI8Body()), body(scanF32Body())])),
  ]);
}

/** The slice of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Instance: new (module: object, imports: object) => { exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface DotKernels {
  readonly memory: WasmMemory;
  scanI8(query: number, rows: number, count: number, bytesPerRow: number, out: number): void;
  scanF32(query: number, rows: number, count: number, floatsPerRow: number, out: number): void;
}

let compiled: object | null = null;

/** True when this runtime has WebAssembly SIMD (Node 16.4+). */
export function wasmSimdAvailable(): boolean {
  try {
    return wasm.validate(moduleBytes());
  } catch {
    return false;
  }
}

/** A fresh instance over its own memory of at least `bytes` bytes (grown later with `memory.grow`). */
export function createDotKernels(bytes: number): DotKernels {
  compiled ??= new wasm.Module(moduleBytes());
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const instance = new wasm.Instance(compiled, { env: { memory } });
  const e = instance.exports as unknown as Omit<DotKernels, 'memory'>;
  return { memory, scanI8: e.scanI8, scanF32: e.scanF32 };
}
