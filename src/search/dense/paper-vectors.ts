/**
 * The live engine's paper vectors: one unit vector per paper key, in rows that only grow (an
 * update marks the paper's old row dead and appends a new one; a delete marks it), so the change
 * log can be applied paper by paper without rebuilding anything, and a row's content never
 * changes once written. Nearest-neighbour search scans the rows exactly until an approximate
 * index is attached (built off-thread from a copy of the rows; rows added or killed meanwhile are
 * replayed into it, which is safe because rows are immutable). Once attached, the index's copy
 * is the only one: rows are read from it, so a million vectors are not held twice. Saved as one
 * binary file: a JSON header, the keys, the live rows.
 */
import fs from 'node:fs';
import { seededRandom } from '../seeded-random.js';
import type { AnnIndex } from './ann-index.js';

export interface PaperVectorHit {
  key: string;
  score: number;
}

const MAGIC = 'PBVEC1';

export class PaperVectors {
  private keys: string[] = [];
  private readonly rowOf = new Map<string, number>();
  /** The rows while no index is attached (empty afterwards: the index holds them). */
  private rows: Float32Array;
  private live: Uint8Array;
  private liveCount = 0;
  private indexChanges = 0;
  /** Rows the attached index was built over (its lists); later rows sit in its tail. */
  private indexedRows = 0;
  /** Approximate index whose ids are row numbers, or null (exact scan). */
  private ann: AnnIndex | null = null;

  constructor(
    readonly dimensions: number,
    capacity = 1024,
  ) {
    this.rows = new Float32Array(Math.max(1, capacity) * dimensions);
    this.live = new Uint8Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.liveCount;
  }

  has(key: string): boolean {
    const row = this.rowOf.get(key);
    return row !== undefined && this.live[row] === 1;
  }

  /** Sets (or replaces) the vector of `key`; `vector` must be a unit vector of `dimensions`. */
  set(key: string, vector: Float32Array, offset = 0): void {
    const d = this.dimensions;
    this.delete(key);
    const row = this.keys.length;
    this.ensureCapacity(row + 1);
    this.keys.push(key);
    this.rowOf.set(key, row);
    const v = vector.subarray(offset, offset + d);
    if (this.ann) {
      const id = this.ann.add(v);
      if (id !== row) throw new Error(`approximate index out of step: row ${row}, id ${id}`);
    } else {
      this.rows.set(v, row * d);
    }
    this.live[row] = 1;
    this.liveCount++;
  }

  /** Sets many vectors at once (row-major, one per key). */
  setMany(keys: readonly string[], vectors: Float32Array): void {
    keys.forEach((key, i) => this.set(key, vectors, i * this.dimensions));
  }

  delete(key: string): boolean {
    const row = this.rowOf.get(key);
    if (row === undefined || this.live[row] !== 1) return false;
    this.live[row] = 0;
    this.liveCount--;
    this.ann?.remove(row);
    return true;
  }

  /** Rows written so far, dead ones included (the row-id space an attached index covers). */
  get rowCount(): number {
    return this.keys.length;
  }

  get approximate(): boolean {
    return this.ann !== null;
  }

  /** Lists the attached index scans by default (its dense-only breadth); undefined without one. */
  get defaultProbes(): number | undefined {
    return this.ann?.probes;
  }

  /** Changes whenever an index is attached or dropped: what was calibrated on the old one no longer holds. */
  get indexVersion(): number {
    return this.indexChanges;
  }

  /** Up to `count` distinct live keys picked at random (seeded, so a calibration can be repeated). */
  sampleLiveKeys(count: number, seed: number): string[] {
    const next = seededRandom(seed);
    const picked = new Set<string>();
    const rows = this.keys.length;
    // Draws until enough distinct live rows, with a bound for a mostly deleted store.
    for (let draw = 0; picked.size < Math.min(count, this.liveCount) && draw < count * 20; draw++) {
      const row = Math.floor(next() * rows);
      if (this.live[row] === 1) picked.add(this.keys[row]!);
    }
    return [...picked];
  }

  /** Drops dead rows (renumbering the rest) and any attached index, which would no longer fit. */
  compact(): void {
    if (this.liveCount === this.keys.length) return;
    this.takeRowsBack();
    const d = this.dimensions;
    const keys: string[] = [];
    this.rowOf.clear();
    for (let row = 0; row < this.keys.length; row++) {
      if (this.live[row] !== 1) continue;
      this.rows.copyWithin(keys.length * d, row * d, (row + 1) * d);
      this.rowOf.set(this.keys[row]!, keys.length);
      keys.push(this.keys[row]!);
    }
    this.live.fill(0);
    this.live.fill(1, 0, keys.length);
    this.keys = keys;
  }

  /** Copies the rows out of the attached index and detaches it. */
  private takeRowsBack(): void {
    const ann = this.ann;
    if (!ann) return;
    const d = this.dimensions;
    const rows = new Float32Array(this.live.length * d);
    for (let row = 0; row < this.keys.length; row++) rows.set(ann.vectorOf(row), row * d);
    this.rows = rows;
    this.ann = null;
    this.indexChanges++;
  }

  /** Row `row` (a view: copy it before keeping it). */
  private row(row: number): Float32Array {
    const d = this.dimensions;
    return this.ann ? this.ann.vectorOf(row) : this.rows.subarray(row * d, (row + 1) * d);
  }

  /** A copy of the first `rowCount` rows (row-major), to build an approximate index from. */
  rowsCopy(): Float32Array {
    if (!this.ann) return this.rows.slice(0, this.keys.length * this.dimensions);
    const out = new Float32Array(this.keys.length * this.dimensions);
    for (let row = 0; row < this.keys.length; row++) out.set(this.row(row), row * this.dimensions);
    return out;
  }

  /**
   * Attaches an index built over the first `coveredRows` rows (ids = row numbers): rows written
   * since are added to it and rows killed since are removed, so it answers for every row.
   */
  attachIndex(index: AnnIndex, coveredRows: number): void {
    if (index.size !== coveredRows || coveredRows > this.keys.length) throw new Error(`index covers ${index.size} rows, expected ${coveredRows} of ${this.keys.length}`);
    // Read from the rows or from the index attached before (a refresh): no copy of every row.
    for (let row = coveredRows; row < this.keys.length; row++) index.add(this.row(row));
    for (let row = 0; row < this.keys.length; row++) if (this.live[row] !== 1) index.remove(row);
    this.ann = index;
    this.indexedRows = coveredRows;
    this.indexChanges++;
    this.rows = new Float32Array(0);
  }

  /**
   * Rows the attached index holds outside its lists (written since it was built, scanned
   * exactly by every search); 0 without an index.
   */
  get unindexedRows(): number {
    return this.ann ? this.keys.length - this.indexedRows : 0;
  }

  /** Rows the attached index was built over. */
  get indexedRowCount(): number {
    return this.ann ? this.indexedRows : 0;
  }

  vectorOf(key: string): Float32Array | null {
    const row = this.rowOf.get(key);
    if (row === undefined || this.live[row] !== 1) return null;
    return this.row(row).slice();
  }

  cosine(key: string, query: Float32Array): number {
    const row = this.rowOf.get(key);
    if (row === undefined || this.live[row] !== 1) return 0;
    return this.ann ? this.ann.similarity(row, query) : dot(this.rows, row * this.dimensions, query, this.dimensions);
  }

  /**
   * The k live papers most similar to `query` (score desc, key asc on ties): exactly, or through
   * the attached index, scanning `probes` lists (default: its own breadth) unless `exact`.
   */
  nearest(query: Float32Array, k: number, accept?: (key: string) => boolean, options: { probes?: number; exact?: boolean } = {}): PaperVectorHit[] {
    if (k <= 0) return [];
    if (this.ann) {
      return this.ann
        .search(query, k, { accept: (row) => this.live[row] === 1 && (!accept || accept(this.keys[row]!)), ...options })
        .map((h) => ({ key: this.keys[h.id]!, score: h.score }))
        .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    const d = this.dimensions;
    const ids = new Int32Array(k);
    const scores = new Float32Array(k);
    let size = 0;
    // A sorted array is enough for the small k of a search page; rows beat it rarely once full.
    for (let row = 0; row < this.keys.length; row++) {
      if (this.live[row] !== 1) continue;
      const s = dot(this.rows, row * d, query, d);
      if (size === k && s <= scores[k - 1]!) continue;
      if (accept && !accept(this.keys[row]!)) continue;
      let i = size < k ? size++ : k - 1;
      while (i > 0 && scores[i - 1]! < s) {
        scores[i] = scores[i - 1]!;
        ids[i] = ids[i - 1]!;
        i--;
      }
      scores[i] = s;
      ids[i] = row;
    }
    const hits: PaperVectorHit[] = [];
    for (let i = 0; i < size; i++) hits.push({ key: this.keys[ids[i]!]!, score: scores[i]! });
    return hits.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Writes the live vectors; returns the bytes written. */
  save(file: string, meta: Record<string, unknown> = {}): number {
    const liveRows: number[] = [];
    for (let row = 0; row < this.keys.length; row++) if (this.live[row] === 1) liveRows.push(row);
    const keysBuffer = Buffer.from(liveRows.map((r) => this.keys[r]).join('\n'), 'utf8');
    const header = Buffer.from(JSON.stringify({ magic: MAGIC, dimensions: this.dimensions, count: liveRows.length, keysBytes: keysBuffer.length, meta }), 'utf8');
    const vectors = new Float32Array(liveRows.length * this.dimensions);
    liveRows.forEach((row, i) => vectors.set(this.row(row), i * this.dimensions));
    const lengths = Buffer.alloc(4);
    lengths.writeUInt32LE(header.length, 0);
    const fd = fs.openSync(file, 'w');
    try {
      fs.writeSync(fd, lengths);
      fs.writeSync(fd, header);
      fs.writeSync(fd, keysBuffer);
      fs.writeSync(fd, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return 4 + header.length + keysBuffer.length + vectors.byteLength;
  }

  /** Reads a file written by `save`; throws when it is not one. */
  static load(file: string): { vectors: PaperVectors; meta: Record<string, unknown> } {
    const data = fs.readFileSync(file);
    if (data.length < 4) throw new Error(`${file} is not a paper-vector file (too short)`);
    const headerLength = data.readUInt32LE(0);
    const header = JSON.parse(data.subarray(4, 4 + headerLength).toString('utf8')) as { magic: string; dimensions: number; count: number; keysBytes: number; meta: Record<string, unknown> };
    if (header.magic !== MAGIC) throw new Error(`${file} is not a paper-vector file (magic ${String(header.magic)})`);
    const keysStart = 4 + headerLength;
    const keys = header.count === 0 ? [] : data.subarray(keysStart, keysStart + header.keysBytes).toString('utf8').split('\n');
    const vectorsStart = keysStart + header.keysBytes;
    const expected = header.count * header.dimensions * 4;
    if (keys.length !== header.count || data.length - vectorsStart !== expected) throw new Error(`${file} is truncated or damaged`);
    const rows = new Float32Array(header.count * header.dimensions);
    new Uint8Array(rows.buffer).set(data.subarray(vectorsStart, vectorsStart + expected));
    const vectors = new PaperVectors(header.dimensions, header.count + 1024);
    vectors.setMany(keys, rows);
    return { vectors, meta: header.meta };
  }

  private ensureCapacity(rows: number): void {
    if (rows <= this.live.length) return;
    const capacity = Math.max(rows, Math.ceil(this.live.length * 1.5));
    if (!this.ann) {
      const grown = new Float32Array(capacity * this.dimensions);
      grown.set(this.rows);
      this.rows = grown;
    }
    const live = new Uint8Array(capacity);
    live.set(this.live);
    this.live = live;
  }
}

function dot(rows: Float32Array, offset: number, query: Float32Array, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += rows[offset + j]! * query[j]!;
  return s;
}
