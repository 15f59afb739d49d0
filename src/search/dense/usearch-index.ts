/**
 * The usearch library's HNSW graph behind the AnnIndex interface: the benchmark peer our IVF
 * (vector-index.ts) is measured against (the project keeps its own structures in the search
 * core unless a well-kept library wins a benchmark). Vectors are added with all cores; the
 * search breadth (`ef`) is calibrated like the IVF's probes. usearch has no filtered search
 * from JavaScript, so filters over-fetch and drop. A float copy of the vectors is kept for
 * exact search, `similarity` and `vectorOf`.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { writeSnapshotFile } from '../index-snapshot.js';
import { type AnnIndex, type AnnSearchOptions, type VectorHit, nonZeroRows, recallAgainstExact } from './ann-index.js';

interface UsearchMatches {
  keys: BigUint64Array;
  distances: Float32Array;
}
interface UsearchIndexHandle {
  add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
  search(vector: Float32Array, k: number, threads?: number): UsearchMatches;
  remove(keys: bigint): number;
  size(): number;
  save(path: string): void;
}
interface UsearchModule {
  Index: new (config: { dimensions: number; metric: string; quantization: string; connectivity: number; expansion_add: number; expansion_search: number; multi: boolean }) => UsearchIndexHandle;
}

export interface UsearchOptions {
  /** Graph degree M (default 16). */
  connectivity?: number;
  /** Candidate list while inserting (default 128). */
  expansionAdd?: number;
  /** Stored scalar type (default f32; i8 and f16 trade accuracy for memory). */
  quantization?: 'f32' | 'f16' | 'i8';
  threads?: number;
}

function loadUsearch(): UsearchModule {
  return createRequire(import.meta.url)('usearch') as UsearchModule;
}

export class UsearchIndex implements AnnIndex {
  /** Candidate list while searching (usearch searches max(ef, k)). */
  ef = 64;
  private vectors: Float32Array;
  private count: number;
  private removed = new Set<number>();

  private constructor(
    readonly dimensions: number,
    private readonly handle: UsearchIndexHandle,
    vectors: Float32Array,
    private readonly threads: number,
  ) {
    this.vectors = vectors;
    this.count = Math.floor(vectors.length / dimensions);
  }

  static build(vectors: Float32Array, dimensions: number, options: UsearchOptions = {}): UsearchIndex {
    const usearch = loadUsearch();
    const handle = new usearch.Index({
      dimensions,
      metric: 'ip',
      quantization: options.quantization ?? 'f32',
      connectivity: options.connectivity ?? 16,
      expansion_add: options.expansionAdd ?? 128,
      expansion_search: 64,
      multi: false,
    });
    const n = Math.floor(vectors.length / dimensions);
    const threads = options.threads ?? os.cpus().length;
    const keys = new BigUint64Array(n);
    for (let i = 0; i < n; i++) keys[i] = BigInt(i);
    if (n > 0) handle.add(keys, vectors.subarray(0, n * dimensions), threads);
    // Keeps (does not copy) the caller's vectors for exact search and similarity.
    return new UsearchIndex(dimensions, handle, vectors.length === n * dimensions ? vectors : vectors.slice(0, n * dimensions), threads);
  }

  get size(): number {
    return this.count;
  }

  has(id: number): boolean {
    return id >= 0 && id < this.count && !this.removed.has(id);
  }

  vectorOf(id: number): Float32Array {
    return this.vectors.subarray(id * this.dimensions, (id + 1) * this.dimensions);
  }

  similarity(id: number, query: Float32Array): number {
    const d = this.dimensions;
    let s = 0;
    for (let j = 0; j < d; j++) s += this.vectors[id * d + j]! * query[j]!;
    return s;
  }

  add(vector: Float32Array): number {
    const d = this.dimensions;
    const id = this.count;
    if ((id + 1) * d > this.vectors.length) {
      const grown = new Float32Array(Math.max(1024, id * 2) * d);
      grown.set(this.vectors.subarray(0, id * d));
      this.vectors = grown;
    }
    this.vectors.set(vector, id * d);
    this.handle.add(BigUint64Array.of(BigInt(id)), vector, 1);
    this.count++;
    return id;
  }

  remove(id: number): void {
    if (!this.has(id)) return;
    this.handle.remove(BigInt(id));
    this.removed.add(id);
  }

  search(query: Float32Array, k: number, options: AnnSearchOptions = {}): VectorHit[] {
    k = Math.min(k, this.count);
    if (k <= 0) return [];
    if (options.exact) return this.exactSearch(query, k, options.accept);
    const accept = options.accept;
    // Filters over-fetch: widen until k pass or the whole index was asked.
    for (let want = Math.max(k, this.ef); ; want *= 4) {
      const m = this.handle.search(query, Math.min(want, this.count), 1);
      const hits: VectorHit[] = [];
      for (let i = 0; i < m.keys.length && hits.length < k; i++) {
        const id = Number(m.keys[i]!);
        if (!Number.isFinite(m.distances[i]!) || this.removed.has(id) || (accept && !accept(id))) continue;
        hits.push({ id, score: Math.fround(this.similarity(id, query)) });
      }
      if (hits.length >= k || want >= this.count) return hits.sort((a, b) => b.score - a.score || a.id - b.id);
    }
  }

  private exactSearch(query: Float32Array, k: number, accept?: (id: number) => boolean): VectorHit[] {
    const hits: VectorHit[] = [];
    for (let id = 0; id < this.count; id++) {
      if (this.removed.has(id) || (accept && !accept(id))) continue;
      hits.push({ id, score: Math.fround(this.similarity(id, query)) });
    }
    return hits.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
  }

  /** Sets `ef` to the smallest (from k, growing by 1.25x) reaching `target` recall@k against exact on `queries`. */
  calibrate(target: number, k: number, queries: Float32Array, maxEf = 4096): { ef: number; recall: number } {
    const rows = nonZeroRows(queries, this.dimensions);
    const exact = rows.map((q) => new Set(this.search(q, k, { exact: true }).map((h) => h.id)));
    const recallAt = (ef: number) => {
      this.ef = ef;
      return recallAgainstExact(this, queries, k, (q) => this.search(q, k), exact);
    };
    let ef = k;
    let recall = recallAt(ef);
    while (recall < target && ef < maxEf) {
      ef = Math.ceil(ef * 1.25);
      recall = recallAt(ef);
    }
    return { ef, recall };
  }

  recallAgainstExact(queries: Float32Array, k: number): number {
    return recallAgainstExact(this, queries, k);
  }

  /** Writes the usearch graph to `path` and the float vectors beside it (`path.vectors`). */
  save(path: string): void {
    this.handle.save(path);
    writeSnapshotFile(`${path}.vectors`, { dimensions: this.dimensions, count: this.count, threads: this.threads }, { vectors: this.vectors.subarray(0, this.count * this.dimensions) });
  }
}
