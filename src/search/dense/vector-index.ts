/**
 * Nearest-neighbour search over unit vectors (cosine = dot product), exact or approximate: our
 * inverted file (IVF). Vectors are grouped under the nearest of `lists` centroids, and a query
 * scans only the `probes` lists whose centroids are nearest. Centroids come from a two-level
 * spherical k-means (about sqrt(lists) coarse clusters, each split again), so assigning a
 * million vectors costs 2*sqrt(lists) dot products each rather than `lists`.
 *
 * Speed comes from the memory layout and the kernel, not from scanning less: rows are stored
 * reordered by list, once as float32 and once as int8 (scaled per row), inside a WebAssembly
 * memory, and a probe runs the SIMD int8 scan (wasm-dot-kernels.ts) over a list's contiguous
 * rows. The best `rerank` candidates by the int8 score are then re-scored exactly on the float
 * rows, so returned scores are exact dot products. Exact search scans the float rows with the
 * SIMD float kernel and re-scores its top candidates the same way; recall of the approximate
 * search is measured against it (`recallAgainstExact`).
 *
 * Papers added after the build go to a small exact-scanned tail (`add`), removed ones are
 * tombstoned (`remove`); the live engine rebuilds when the tail grows large. `save`/`load` use
 * the search snapshot container (index-snapshot.ts).
 */
import { TopKHeap } from '../top-k-heap.js';
import { readSnapshotFile, writeSnapshotFile } from '../index-snapshot.js';
import { seededRandom } from '../seeded-random.js';
import { type AnnIndex, type AnnSearchOptions, type VectorHit, nonZeroRows, recallAgainstExact } from './ann-index.js';
import { type DotKernels, createDotKernels } from './wasm-dot-kernels.js';

export type { VectorHit } from './ann-index.js';

export interface IvfOptions {
  /** Number of lists (default about 4 * sqrt(n)). */
  lists?: number;
  /** Vectors sampled to train the centroids (default 50,000). */
  trainSample?: number;
  iterations?: number;
  seed?: number;
}

export interface VectorSearchOptions extends AnnSearchOptions {
  /** Lists to scan (default: the calibrated breadth); Infinity (or exact: true) scans everything. */
  probes?: number;
  /** Candidates re-scored exactly after the int8 scan (default max(4k, 40)). */
  rerank?: number;
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[ao + j]! * b[bo + j]!;
  return s;
}

/** Rows padded to a multiple of 32 lanes, which both SIMD kernels step by. */
function paddedWidth(d: number): number {
  return Math.ceil(d / 32) * 32;
}

/**
 * Scores one vector against a matrix of centroids with the SIMD float kernel: the centroids
 * sit in a small WebAssembly memory of their own, the vector is copied into its query slot.
 */
class CentroidScorer {
  private readonly kernels: DotKernels;
  private readonly query: Float32Array;
  private readonly scores: Float32Array;
  private readonly centroids: Float32Array;
  private readonly outAt: number;
  private readonly centroidsAt: number;

  constructor(
    private readonly d: number,
    capacity: number,
  ) {
    const w = paddedWidth(d);
    this.outAt = w * 4;
    this.centroidsAt = this.outAt + Math.ceil(capacity / 16) * 64;
    this.kernels = createDotKernels(this.centroidsAt + capacity * w * 4);
    const buffer = this.kernels.memory.buffer;
    this.query = new Float32Array(buffer, 0, w);
    this.scores = new Float32Array(buffer, this.outAt, capacity);
    this.centroids = new Float32Array(buffer, this.centroidsAt, capacity * w);
  }

  /** Writes `count` centroids (row-major, d wide) from row `at` on. */
  load(centroids: Float32Array, at: number, count: number): void {
    const w = paddedWidth(this.d);
    for (let c = 0; c < count; c++) this.centroids.set(centroids.subarray(c * this.d, c * this.d + this.d), (at + c) * w);
  }

  /** Index (relative to `from`) of the best of centroids from..from+count for row `offset` of `vectors`. */
  nearest(vectors: Float32Array, offset: number, from: number, count: number): number {
    const w = paddedWidth(this.d);
    this.query.set(vectors.subarray(offset, offset + this.d));
    this.kernels.scanF32(0, this.centroidsAt + from * w * 4, count, w, this.outAt);
    const s = this.scores;
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < count; c++) {
      if (s[c]! > bestScore) {
        bestScore = s[c]!;
        best = c;
      }
    }
    return best;
  }
}

/** Spherical k-means over the rows `members` of `vectors`; returns k unit centroids. */
function sphericalKMeans(vectors: Float32Array, d: number, members: Uint32Array, k: number, iterations: number, random: () => number): Float32Array {
  const centroids = new Float32Array(k * d);
  for (let c = 0; c < k; c++) {
    const m = members[Math.floor(random() * members.length)]!;
    centroids.set(vectors.subarray(m * d, m * d + d), c * d);
  }
  const scorer = new CentroidScorer(d, k);
  const sums = new Float64Array(k * d);
  for (let it = 0; it < iterations; it++) {
    sums.fill(0);
    scorer.load(centroids, 0, k);
    for (const m of members) {
      const best = scorer.nearest(vectors, m * d, 0, k);
      for (let j = 0; j < d; j++) sums[best * d + j]! += vectors[m * d + j]!;
    }
    for (let c = 0; c < k; c++) {
      let norm = 0;
      for (let j = 0; j < d; j++) norm += sums[c * d + j]! ** 2;
      if (norm === 0) {
        // Empty cluster: restart it on a random member.
        const m = members[Math.floor(random() * members.length)]!;
        centroids.set(vectors.subarray(m * d, m * d + d), c * d);
        continue;
      }
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < d; j++) centroids[c * d + j] = sums[c * d + j]! * inv;
    }
  }
  return centroids;
}

/** The parts an index is made of (what a snapshot stores). */
interface IvfParts {
  d: number;
  /** lists x d. */
  centroids: Float32Array;
  listStart: Uint32Array;
  /** Original id of each stored row. */
  ids: Uint32Array;
  /** Writes the float rows, in list order, d wide, into `into` (w wide). */
  fillRows: (into: Float32Array, w: number) => void;
  defaultProbes: number;
}

const SNAPSHOT_KIND = 'paperboy-ivf';
const SNAPSHOT_VERSION = 1;
const INITIAL_TAIL = 1024;

export class VectorIndex implements AnnIndex {
  readonly dimensions: number;
  private readonly width: number;
  private readonly kernels: DotKernels;
  private readonly centroids: Float32Array;
  private readonly listStart: Uint32Array;
  private readonly ids: Uint32Array;
  /** Float rows in list order (a view into the kernels' memory), `width` wide. */
  private readonly vectors: Float32Array;
  /** Per-row scale of the int8 copy: value = int8 * scale. */
  private readonly rowScale: Float32Array;
  private readonly queryF32: Float32Array;
  private readonly queryI16: Int16Array;
  private readonly scoresF32: Float32Array;
  private readonly scoresI32: Int32Array;
  private readonly outCapacity: number;
  private readonly at: { queryF32: number; queryI16: number; out: number; centroids: number; floats: number; int8: number };
  /** Stored row of each original id below `built`. */
  private readonly positionOf: Uint32Array;
  private readonly built: number;
  private readonly defaultProbes: number;
  /** Vectors added after the build (ids built, built+1, ...), d wide, scanned exactly. */
  private tail = new Float32Array(0);
  private tailCount = 0;
  private removed = new Uint8Array(0);
  private removedCount = 0;
  private calibratedProbes: number | null = null;

  private constructor(parts: IvfParts) {
    const d = parts.d;
    const w = paddedWidth(d);
    const n = parts.ids.length;
    const lists = parts.listStart.length - 1;
    this.dimensions = d;
    this.width = w;
    this.listStart = parts.listStart;
    this.ids = parts.ids;
    this.built = n;
    this.defaultProbes = parts.defaultProbes;
    let longest = 0;
    for (let l = 0; l < lists; l++) longest = Math.max(longest, parts.listStart[l + 1]! - parts.listStart[l]!);
    this.outCapacity = Math.max(longest, lists, Math.min(n, 65_536), 1);
    // Memory: float query | int16 query | scores | centroids | float rows | int8 rows.
    const align = (x: number) => Math.ceil(x / 64) * 64;
    const queryI16 = align(w * 4);
    const out = queryI16 + align(w * 2);
    const centroids = out + align(this.outCapacity * 4);
    const floats = centroids + align(lists * w * 4);
    const int8 = floats + align(n * w * 4);
    this.at = { queryF32: 0, queryI16, out, centroids, floats, int8 };
    this.kernels = createDotKernels(int8 + n * w + 64);
    const buffer = this.kernels.memory.buffer;
    this.queryF32 = new Float32Array(buffer, 0, w);
    this.queryI16 = new Int16Array(buffer, queryI16, w);
    this.scoresF32 = new Float32Array(buffer, out, this.outCapacity);
    this.scoresI32 = new Int32Array(buffer, out, this.outCapacity);
    this.centroids = new Float32Array(buffer, centroids, lists * w);
    for (let l = 0; l < lists; l++) this.centroids.set(parts.centroids.subarray(l * d, l * d + d), l * w);
    this.vectors = new Float32Array(buffer, floats, n * w);
    parts.fillRows(this.vectors, w);
    // int8 copy, scaled per row so each row uses the full range.
    const rows8 = new Int8Array(buffer, int8, n * w);
    this.rowScale = new Float32Array(n);
    for (let p = 0; p < n; p++) {
      let max = 0;
      for (let j = 0; j < d; j++) max = Math.max(max, Math.abs(this.vectors[p * w + j]!));
      const scale = max > 0 ? max / 127 : 1;
      this.rowScale[p] = scale;
      for (let j = 0; j < d; j++) rows8[p * w + j] = Math.round(this.vectors[p * w + j]! / scale);
    }
    this.positionOf = new Uint32Array(n);
    this.ids.forEach((id, p) => (this.positionOf[id] = p));
  }

  /**
   * Builds the index over `n` row-major unit vectors (ids 0..n-1). `vectors` is copied (into
   * the index's WebAssembly memory) and left unchanged; callers may drop it afterwards.
   */
  static build(vectors: Float32Array, dimensions: number, options: IvfOptions = {}): VectorIndex {
    const d = dimensions;
    const n = Math.floor(vectors.length / d);
    const random = seededRandom(options.seed ?? 7);
    const lists = Math.max(1, Math.min(n, options.lists ?? Math.round(4 * Math.sqrt(n))));
    const coarse = Math.max(1, Math.round(Math.sqrt(lists)));
    const fine = Math.max(1, Math.ceil(lists / coarse));
    const iterations = options.iterations ?? 8;
    const sampleSize = Math.min(n, options.trainSample ?? 50_000);
    const sample = new Uint32Array(sampleSize);
    for (let i = 0; i < sampleSize; i++) sample[i] = sampleSize === n ? i : Math.floor(random() * n);
    const top = sphericalKMeans(vectors, d, sample, coarse, iterations, random);
    // Split each coarse cluster's sample members into `fine` clusters.
    const scorer = new CentroidScorer(d, coarse + coarse * fine);
    scorer.load(top, 0, coarse);
    const groups: number[][] = Array.from({ length: coarse }, () => []);
    for (const m of sample) groups[scorer.nearest(vectors, m * d, 0, coarse)]!.push(m);
    const centroids = new Float32Array(coarse * fine * d);
    groups.forEach((g, c) => {
      const members = g.length > 0 ? Uint32Array.from(g) : sample;
      centroids.set(sphericalKMeans(vectors, d, members, fine, iterations, random), c * fine * d);
    });
    scorer.load(centroids, coarse, coarse * fine);
    // Assign every vector: nearest coarse centroid, then nearest fine centroid inside it.
    const listOf = new Uint32Array(n);
    const counts = new Uint32Array(coarse * fine + 1);
    for (let i = 0; i < n; i++) {
      const c = scorer.nearest(vectors, i * d, 0, coarse);
      const f = scorer.nearest(vectors, i * d, coarse + c * fine, fine);
      listOf[i] = c * fine + f;
      counts[listOf[i]! + 1]!++;
    }
    const listStart = new Uint32Array(coarse * fine + 1);
    for (let l = 0; l < coarse * fine; l++) listStart[l + 1] = listStart[l]! + counts[l + 1]!;
    const cursor = listStart.slice(0, coarse * fine);
    const position = new Uint32Array(n);
    const ids = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const p = cursor[listOf[i]!]!++;
      position[i] = p;
      ids[p] = i;
    }
    return new VectorIndex({
      d,
      centroids,
      listStart,
      ids,
      defaultProbes: Math.max(1, Math.ceil((coarse * fine) / 16)),
      fillRows: (into, w) => {
        for (let i = 0; i < n; i++) into.set(vectors.subarray(i * d, i * d + d), position[i]! * w);
      },
    });
  }

  /** Ids handed out (built + added, removed ones included). */
  get size(): number {
    return this.built + this.tailCount;
  }

  get lists(): number {
    return this.listStart.length - 1;
  }

  /** Probes used when a search does not say (calibrated, or lists / 16). */
  get probes(): number {
    return this.calibratedProbes ?? this.defaultProbes;
  }

  /** Bytes held by the index (WebAssembly memory plus the tail). */
  get byteSize(): number {
    return this.kernels.memory.buffer.byteLength + this.tail.byteLength + this.rowScale.byteLength + this.ids.byteLength * 2;
  }

  has(id: number): boolean {
    return id >= 0 && id < this.size && this.removed[id] !== 1;
  }

  vectorOf(id: number): Float32Array {
    const d = this.dimensions;
    if (id >= this.built) return this.tail.subarray((id - this.built) * d, (id - this.built + 1) * d);
    const p = this.positionOf[id]! * this.width;
    return this.vectors.subarray(p, p + d);
  }

  similarity(id: number, query: Float32Array): number {
    const d = this.dimensions;
    if (id >= this.built) return dot(this.tail, (id - this.built) * d, query, 0, d);
    return dot(this.vectors, this.positionOf[id]! * this.width, query, 0, d);
  }

  add(vector: Float32Array): number {
    const d = this.dimensions;
    if (vector.length !== d) throw new Error(`vector has ${vector.length} dimensions, the index ${d}`);
    if ((this.tailCount + 1) * d > this.tail.length) {
      const grown = new Float32Array(Math.max(INITIAL_TAIL, this.tailCount * 2) * d);
      grown.set(this.tail);
      this.tail = grown;
    }
    this.tail.set(vector, this.tailCount * d);
    return this.built + this.tailCount++;
  }

  /** Vectors added since the build (the exactly scanned tail). */
  get added(): number {
    return this.tailCount;
  }

  remove(id: number): void {
    if (!this.has(id)) return;
    if (id >= this.removed.length) {
      const grown = new Uint8Array(Math.max(this.size, this.removed.length * 2));
      grown.set(this.removed);
      this.removed = grown;
    }
    this.removed[id] = 1;
    this.removedCount++;
  }

  search(query: Float32Array, k: number, options: VectorSearchOptions = {}): VectorHit[] {
    const d = this.dimensions;
    const w = this.width;
    k = Math.max(0, Math.min(k, this.size));
    const probes = options.exact ? Infinity : (options.probes ?? this.probes);
    const accept = options.accept;
    const removed = this.removedCount > 0 ? this.removed : null;
    const skip = (id: number) => (removed !== null && removed[id] === 1) || (accept !== undefined && !accept(id));
    this.queryF32.set(query.subarray(0, d));
    // Candidates (ids) by the fast score, re-scored exactly below.
    const candidates = new TopKHeap(options.exact ? 2 * k + 16 : Math.max(k, options.rerank ?? Math.max(4 * k, 40)));
    if (probes >= this.lists) {
      // Exact: float scan of every row, in chunks the score buffer holds.
      for (let from = 0; from < this.built; from += this.outCapacity) {
        const count = Math.min(this.outCapacity, this.built - from);
        this.kernels.scanF32(this.at.queryF32, this.at.floats + from * w * 4, count, w, this.at.out);
        this.offerScores(this.scoresF32, from, count, null, candidates, skip);
      }
    } else {
      let max = 0;
      for (let j = 0; j < d; j++) max = Math.max(max, Math.abs(query[j]!));
      const scale = max > 0 ? 32767 / max : 0;
      for (let j = 0; j < d; j++) this.queryI16[j] = Math.round(query[j]! * scale);
      this.kernels.scanF32(this.at.queryF32, this.at.centroids, this.lists, w, this.at.out);
      const chosen = new TopKHeap(probes);
      for (let l = 0; l < this.lists; l++) if (this.listStart[l + 1]! > this.listStart[l]!) chosen.offer(l, this.scoresF32[l]!);
      for (let i = 0; i < chosen.size; i++) {
        const l = chosen.docAt(i);
        const from = this.listStart[l]!;
        const count = this.listStart[l + 1]! - from;
        this.kernels.scanI8(this.at.queryI16, this.at.int8 + from * w, count, w, this.at.out);
        this.offerScores(this.scoresI32, from, count, this.rowScale, candidates, skip);
      }
    }
    const best = new TopKHeap(k);
    for (let i = 0; i < candidates.size; i++) {
      const id = candidates.docAt(i);
      best.offer(id, dot(this.vectors, this.positionOf[id]! * w, query, 0, d));
    }
    for (let t = 0; t < this.tailCount; t++) {
      const id = this.built + t;
      if (!skip(id)) best.offer(id, dot(this.tail, t * d, query, 0, d));
    }
    return best.sorted().map((hit) => ({ id: hit.doc, score: Math.fround(hit.score) }));
  }

  private offerScores(scores: Float32Array | Int32Array, from: number, count: number, rowScale: Float32Array | null, heap: TopKHeap, skip: (id: number) => boolean): void {
    const ids = this.ids;
    for (let i = 0; i < count; i++) {
      const p = from + i;
      const s = rowScale ? scores[i]! * rowScale[p]! : scores[i]!;
      if (s < heap.threshold) continue;
      const id = ids[p]!;
      if (skip(id)) continue;
      heap.offer(id, s);
    }
  }

  /** Mean recall@k of the approximate search (with `probes`) against exact search over `queries` (row-major). */
  recallAgainstExact(queries: Float32Array, k: number, probes: number = this.probes): number {
    return recallAgainstExact(this, queries, k, (q) => this.search(q, k, { probes }));
  }

  /**
   * Sets the default number of probes to the smallest that reaches `target` mean recall@k
   * against exact search on `queries` (row-major unit vectors; query-like samples from the
   * corpus, never evaluation queries). Without queries, synthetic ones are used: the
   * normalized sum of two random stored vectors. Exact answers are computed once.
   */
  calibrate(target = 0.95, k = 10, queries?: Float32Array, seed = 11): { probes: number; recall: number } {
    const d = this.dimensions;
    let sample = queries;
    if (!sample) {
      const samples = 200;
      const random = seededRandom(seed);
      sample = new Float32Array(samples * d);
      for (let i = 0; i < samples; i++) {
        const a = this.vectorOf(Math.floor(random() * this.built));
        const b = this.vectorOf(Math.floor(random() * this.built));
        let norm = 0;
        for (let j = 0; j < d; j++) norm += (sample[i * d + j] = a[j]! + b[j]!) ** 2;
        const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (let j = 0; j < d; j++) sample[i * d + j]! *= inv;
      }
    }
    const rows = nonZeroRows(sample, d);
    const exact = rows.map((q) => new Set(this.search(q, k, { exact: true }).map((h) => h.id)));
    const recallAt = (probes: number) => recallAgainstExact(this, sample, k, (q) => this.search(q, k, { probes }), exact);
    let probes = 1;
    let recall = recallAt(probes);
    while (recall < target && probes < this.lists) {
      probes = Math.min(this.lists, Math.ceil(probes * 1.25));
      recall = recallAt(probes);
    }
    this.calibratedProbes = probes;
    return { probes, recall };
  }

  /** Writes the index (rows, lists, tail, tombstones, calibration) to `path` atomically. */
  save(path: string): void {
    const w = this.width;
    const d = this.dimensions;
    const centroids = new Float32Array(this.lists * d);
    for (let l = 0; l < this.lists; l++) centroids.set(this.centroids.subarray(l * w, l * w + d), l * d);
    writeSnapshotFile(
      path,
      { kind: SNAPSHOT_KIND, version: SNAPSHOT_VERSION, dimensions: d, width: w, built: this.built, tailCount: this.tailCount, defaultProbes: this.defaultProbes, calibratedProbes: this.calibratedProbes },
      {
        centroids,
        listStart: this.listStart,
        ids: this.ids,
        vectors: this.vectors,
        tail: this.tail.subarray(0, this.tailCount * d),
        removed: this.removed.subarray(0, Math.min(this.removed.length, this.size)),
      },
    );
  }

  static load(path: string): VectorIndex {
    const { meta, arrays } = readSnapshotFile(path);
    const m = meta as { kind?: string; version?: number; dimensions: number; width: number; built: number; tailCount: number; defaultProbes: number; calibratedProbes: number | null };
    if (m.kind !== SNAPSHOT_KIND || m.version !== SNAPSHOT_VERSION) throw new Error(`${path} is not a vector index snapshot (version ${SNAPSHOT_VERSION})`);
    const rows = arrays.vectors as Float32Array;
    const index = new VectorIndex({
      d: m.dimensions,
      centroids: arrays.centroids as Float32Array,
      listStart: arrays.listStart as Uint32Array,
      ids: arrays.ids as Uint32Array,
      defaultProbes: m.defaultProbes,
      fillRows: (into, w) => {
        if (w === m.width) into.set(rows);
        else for (let p = 0; p < m.built; p++) into.set(rows.subarray(p * m.width, p * m.width + m.dimensions), p * w);
      },
    });
    const tail = arrays.tail as Float32Array;
    for (let t = 0; t < m.tailCount; t++) index.add(tail.subarray(t * m.dimensions, (t + 1) * m.dimensions));
    (arrays.removed as Uint8Array).forEach((r, id) => r === 1 && index.remove(id));
    index.calibratedProbes = m.calibratedProbes;
    return index;
  }
}
