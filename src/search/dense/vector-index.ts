/**
 * Nearest-neighbour search over unit vectors (cosine = dot product), exact or approximate.
 * The approximate index is an inverted file (IVF): vectors are grouped under the nearest of
 * `lists` centroids, and a query scans only the `probes` lists whose centroids are nearest.
 * Centroids come from a two-level spherical k-means (about sqrt(lists) coarse clusters, each
 * split again), so assigning a million vectors costs 2*sqrt(lists) dot products each rather
 * than `lists`. Vectors are stored reordered by list so a probe reads contiguous memory.
 * Exact search scans the same storage completely; recall of the approximate search is
 * measured against it (`recallAgainstExact`).
 */
import { seededRandom } from '../seeded-random.js';

export interface VectorHit {
  id: number;
  score: number;
}

export interface IvfOptions {
  /** Number of lists (default about 4 * sqrt(n)). */
  lists?: number;
  /** Vectors sampled to train the centroids (default 50,000). */
  trainSample?: number;
  iterations?: number;
  seed?: number;
}

export interface VectorSearchOptions {
  /** Lists to scan; Infinity (or exact: true) scans everything. */
  probes?: number;
  exact?: boolean;
  /** Only ids passing this are returned (filters, tombstones). */
  accept?: (id: number) => boolean;
}

/** Keeps the k best (score desc, id asc). */
class HitHeap {
  readonly ids: Int32Array;
  readonly scores: Float32Array;
  size = 0;
  constructor(readonly k: number) {
    this.ids = new Int32Array(k);
    this.scores = new Float32Array(k);
  }
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.scores[0]!;
  }
  private worse(sa: number, a: number, sb: number, b: number): boolean {
    return sa < sb || (sa === sb && a > b);
  }
  offer(id: number, score: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(score, id, this.scores[p]!, this.ids[p]!)) break;
        this.ids[i] = this.ids[p]!;
        this.scores[i] = this.scores[p]!;
        i = p;
      }
      this.ids[i] = id;
      this.scores[i] = score;
      return;
    }
    if (!this.worse(this.scores[0]!, this.ids[0]!, score, id)) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && this.worse(this.scores[r]!, this.ids[r]!, this.scores[l]!, this.ids[l]!) ? r : l;
      if (!this.worse(this.scores[c]!, this.ids[c]!, score, id)) break;
      this.ids[i] = this.ids[c]!;
      this.scores[i] = this.scores[c]!;
      i = c;
    }
    this.ids[i] = id;
    this.scores[i] = score;
  }
  sorted(): VectorHit[] {
    const out: VectorHit[] = [];
    for (let i = 0; i < this.size; i++) out.push({ id: this.ids[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.id - b.id);
  }
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[ao + j]! * b[bo + j]!;
  return s;
}


/** Spherical k-means over the rows `members` of `vectors`; returns k unit centroids. */
function sphericalKMeans(vectors: Float32Array, d: number, members: Uint32Array, k: number, iterations: number, random: () => number): Float32Array {
  const centroids = new Float32Array(k * d);
  for (let c = 0; c < k; c++) {
    const m = members[Math.floor(random() * members.length)]!;
    centroids.set(vectors.subarray(m * d, m * d + d), c * d);
  }
  const sums = new Float64Array(k * d);
  for (let it = 0; it < iterations; it++) {
    sums.fill(0);
    for (const m of members) {
      let best = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < k; c++) {
        const s = dot(vectors, m * d, centroids, c * d, d);
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
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

export class VectorIndex {
  private constructor(
    readonly dimensions: number,
    /** lists x dimensions. */
    private readonly centroids: Float32Array,
    private readonly listStart: Uint32Array,
    /** Original id of each stored row. */
    private readonly ids: Uint32Array,
    /** Rows reordered by list. */
    private readonly vectors: Float32Array,
    readonly defaultProbes: number,
  ) {
    this.positionOf = new Uint32Array(ids.length);
    ids.forEach((id, p) => (this.positionOf[id] = p));
  }

  /** Stored row of each original id. */
  private readonly positionOf: Uint32Array;

  /** The stored vector of `id` (a view; do not modify). */
  vectorOf(id: number): Float32Array {
    const p = this.positionOf[id]! * this.dimensions;
    return this.vectors.subarray(p, p + this.dimensions);
  }

  /** Dot product of the stored vector `id` with `query`. */
  similarity(id: number, query: Float32Array): number {
    return dot(this.vectors, this.positionOf[id]! * this.dimensions, query, 0, this.dimensions);
  }

  get size(): number {
    return this.ids.length;
  }

  get lists(): number {
    return this.listStart.length - 1;
  }

  /**
   * Builds the index over `n` row-major unit vectors (ids 0..n-1). Takes ownership of
   * `vectors`: its rows are reordered in place.
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
    const groups: number[][] = Array.from({ length: coarse }, () => []);
    for (const m of sample) groups[nearest(top, coarse, vectors, m * d, d)]!.push(m);
    const centroids = new Float32Array(coarse * fine * d);
    groups.forEach((g, c) => {
      const members = g.length > 0 ? Uint32Array.from(g) : sample;
      centroids.set(sphericalKMeans(vectors, d, members, fine, iterations, random), c * fine * d);
    });
    // Assign every vector: nearest coarse centroid, then nearest fine centroid inside it.
    const listOf = new Uint32Array(n);
    const counts = new Uint32Array(coarse * fine + 1);
    for (let i = 0; i < n; i++) {
      const c = nearest(top, coarse, vectors, i * d, d);
      const f = nearest(centroids.subarray(c * fine * d, (c + 1) * fine * d), fine, vectors, i * d, d);
      listOf[i] = c * fine + f;
      counts[listOf[i]! + 1]!++;
    }
    const listStart = new Uint32Array(coarse * fine + 1);
    for (let l = 0; l < coarse * fine; l++) listStart[l + 1] = listStart[l]! + counts[l + 1]!;
    const cursor = listStart.slice(0, coarse * fine);
    const target = new Uint32Array(n);
    const ids = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const p = cursor[listOf[i]!]!++;
      target[i] = p;
      ids[p] = i;
    }
    // Reorder the rows in place (following permutation cycles with one spare row), so a
    // million vectors never exist twice in memory.
    const spare = new Float32Array(d);
    const done = new Uint8Array(n);
    for (let start = 0; start < n; start++) {
      if (done[start] || target[start] === start) continue;
      spare.set(vectors.subarray(start * d, start * d + d));
      let i = start;
      // Row i must go to target[i]; fill position i from the row that belongs there (ids[i]).
      for (;;) {
        done[i] = 1;
        const from = ids[i]!;
        if (from === start) {
          vectors.set(spare, i * d);
          break;
        }
        vectors.copyWithin(i * d, from * d, from * d + d);
        i = from;
      }
    }
    const stored = vectors;
    const defaultProbes = Math.max(1, Math.ceil((coarse * fine) / 16));
    return new VectorIndex(d, centroids, listStart, ids, stored, defaultProbes);
  }

  search(query: Float32Array, k: number, options: VectorSearchOptions = {}): VectorHit[] {
    const d = this.dimensions;
    const heap = new HitHeap(Math.max(0, Math.min(k, this.size)));
    const accept = options.accept;
    const probes = options.exact ? Infinity : (options.probes ?? this.probes);
    const scan = (list: number) => {
      for (let p = this.listStart[list]!; p < this.listStart[list + 1]!; p++) {
        const id = this.ids[p]!;
        if (accept && !accept(id)) continue;
        heap.offer(id, dot(this.vectors, p * d, query, 0, d));
      }
    };
    if (probes >= this.lists) {
      for (let l = 0; l < this.lists; l++) scan(l);
      return heap.sorted();
    }
    const listHeap = new HitHeap(probes);
    for (let l = 0; l < this.lists; l++) if (this.listStart[l + 1]! > this.listStart[l]!) listHeap.offer(l, dot(this.centroids, l * d, query, 0, d));
    for (const { id } of listHeap.sorted()) scan(id);
    return heap.sorted();
  }

  /**
   * Mean recall@k of the approximate search against exact search over `queries` (row-major).
   * Zero vectors (queries sharing no term with the model) are skipped: every document ties
   * for them, so no ranking is "the" exact one.
   */
  recallAgainstExact(queries: Float32Array, k: number, probes: number): number {
    const d = this.dimensions;
    const count = Math.floor(queries.length / d);
    let sum = 0;
    let used = 0;
    for (let i = 0; i < count; i++) {
      const q = queries.subarray(i * d, i * d + d);
      if (q.every((x) => x === 0)) continue;
      const exact = new Set(this.search(q, k, { exact: true }).map((h) => h.id));
      const approx = this.search(q, k, { probes });
      sum += exact.size === 0 ? 1 : approx.filter((h) => exact.has(h.id)).length / exact.size;
      used++;
    }
    return used === 0 ? 1 : sum / used;
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
        const a = this.positionOf[Math.floor(random() * this.size)]! * d;
        const b = this.positionOf[Math.floor(random() * this.size)]! * d;
        let norm = 0;
        for (let j = 0; j < d; j++) norm += (sample[i * d + j] = this.vectors[a + j]! + this.vectors[b + j]!) ** 2;
        const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (let j = 0; j < d; j++) sample[i * d + j]! *= inv;
      }
    }
    const rows: Float32Array[] = [];
    for (let i = 0; i * d < sample.length; i++) {
      const q = sample.subarray(i * d, i * d + d);
      if (!q.every((x) => x === 0)) rows.push(q);
    }
    const exact = rows.map((q) => new Set(this.search(q, k, { exact: true }).map((h) => h.id)));
    const recallAt = (probes: number) => {
      let sum = 0;
      rows.forEach((q, i) => {
        const want = exact[i]!;
        sum += want.size === 0 ? 1 : this.search(q, k, { probes }).filter((h) => want.has(h.id)).length / want.size;
      });
      return rows.length === 0 ? 1 : sum / rows.length;
    };
    let probes = 1;
    let recall = recallAt(probes);
    while (recall < target && probes < this.lists) {
      probes = Math.min(this.lists, Math.ceil(probes * 1.25));
      recall = recallAt(probes);
    }
    this.calibratedProbes = probes;
    return { probes, recall };
  }

  private calibratedProbes: number | null = null;

  /** Probes used when a search does not say (calibrated, or lists / 16). */
  get probes(): number {
    return this.calibratedProbes ?? this.defaultProbes;
  }
}

function nearest(centroids: Float32Array, count: number, vectors: Float32Array, offset: number, d: number): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let c = 0; c < count; c++) {
    const s = dot(vectors, offset, centroids, c * d, d);
    if (s > bestScore) {
      bestScore = s;
      best = c;
    }
  }
  return best;
}
