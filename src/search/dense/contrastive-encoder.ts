/**
 * A text encoder learned from the corpus itself by contrastive training, nothing downloaded. A
 * text's vector is the normalized, TF-IDF-weighted sum of one learned row per word and per
 * character 4-gram of its longer words (hashed into a fixed table), so any word has a vector,
 * a new word shares rows with its relatives ("cardio-"), and a rare word keeps a row of its own
 * instead of being folded into the corpus's big topics as in a low-rank LSA.
 *
 * Training: word rows start from the corpus's LSA term vectors (lsa-model.ts) and are then
 * trained with in-batch negatives (InfoNCE, temperature TAU) on pairs every paper gives for
 * free: its title against its abstract, and the first half of its abstract against the second.
 * The query side keeps only the words the other side does not contain, so matching cannot
 * lean on shared words: the table must learn that "heart" goes with "cardiac" and "ECG".
 * Per-row AdaGrad; everything is seeded, so a fit is reproducible.
 */
import { FNV1A_OFFSET, fnv1a } from '../fnv1a.js';
import { seededRandom } from '../seeded-random.js';
import type { LsaModel } from './lsa-model.js';

export interface ContrastiveOptions {
  /** Passes over the training pairs (default 1: on SciFact train and NFCorpus dev a second gained nothing). */
  epochs?: number;
  batch?: number;
  seed?: number;
}

/** What a trained encoder consists of, for snapshots and for crossing thread boundaries. */
export interface ContrastiveEncoderParts {
  dimensions: number;
  /** buckets x dimensions, row-major. */
  table: Float32Array;
  /** Words seen in training and their idf; others get `unseenIdf`. */
  words: string[];
  idf: Float32Array;
  unseenIdf: number;
}

export interface TrainingText {
  title: readonly string[];
  body: readonly string[];
}

const TAU = 0.05;
const LEARNING_RATE = 0.05;
const GRAM = 4;
/** Words at least this long also feed their character 4-grams. */
const GRAM_MIN_WORD = 5;
/** A 4-gram counts this much of its word's weight. */
const GRAM_WEIGHT = 0.2;
const MAX_BUCKETS = 1 << 18;
const MIN_BUCKETS = 1 << 12;

/** Words and 4-grams are hashed independently (a 4-gram never lands where the same 4-letter word does on purpose). */
const WORD_SEED = FNV1A_OFFSET;
const GRAM_SEED = 0x01000193;

interface Features {
  rows: Int32Array;
  weights: Float32Array;
}

/** A training pair: the query side's terms (stripped of the target's words) and the target's. */
type TermPair = [readonly string[], readonly string[]];

export class ContrastiveEncoder {
  private readonly idfOf: Map<string, number>;
  private readonly mask: number;

  private constructor(
    readonly dimensions: number,
    private readonly table: Float32Array,
    idfOf: Map<string, number>,
    private readonly unseenIdf: number,
  ) {
    this.idfOf = idfOf;
    this.mask = table.length / dimensions - 1;
  }

  /** Trains on tokenized papers (title and abstract terms, as the search analyzer makes them), starting from `lsa`. */
  static train(texts: readonly TrainingText[], lsa: LsaModel, options: ContrastiveOptions = {}): ContrastiveEncoder {
    const d = lsa.dimensions;
    const df = new Map<string, number>();
    for (const t of texts) for (const w of new Set([...t.title, ...t.body])) df.set(w, (df.get(w) ?? 0) + 1);
    const n = texts.length;
    const idfOf = new Map<string, number>();
    // Float32, as snapshots store it, so a loaded model embeds exactly as the trained one.
    for (const [w, k] of df) idfOf.set(w, Math.fround(Math.log((n + 1) / (k + 1)) + 1));
    const buckets = Math.min(MAX_BUCKETS, Math.max(MIN_BUCKETS, 2 ** Math.ceil(Math.log2(4 * df.size + 1))));
    const random = seededRandom(options.seed ?? 3);
    const table = new Float32Array(buckets * d);
    for (let i = 0; i < table.length; i++) table[i] = (random() - 0.5) * 0.01;
    const encoder = new ContrastiveEncoder(d, table, idfOf, Math.log(n + 1) + 1);
    // Warm start: a word's row is its LSA term vector scaled by its idf (words sharing a bucket add up).
    for (const [word, row] of lsa.vocabulary) {
      const at = encoder.wordRow(word) * d;
      for (let j = 0; j < d; j++) table[at + j]! += lsa.projection[row * d + j]! * lsa.idf[row]!;
    }
    // Pairs keep their terms, not their features: features are made batch by batch, so training
    // holds a few hundred bytes per pair instead of a few kilobytes (hundreds of MB at 50,000 papers).
    const pairs: TermPair[] = [];
    for (const t of texts) {
      if (t.title.length >= 3 && t.body.length >= 10) encoder.addPair(pairs, t.title, t.body, 2);
      if (t.body.length >= 20) {
        const half = t.body.length >> 1;
        encoder.addPair(pairs, t.body.slice(0, half), t.body.slice(half), 3);
      }
    }
    // A small corpus trains with the batch it has (in-batch negatives need at least two pairs).
    const batch = Math.min(options.batch ?? 128, pairs.length);
    if (batch >= 2) new Trainer(encoder.table, d, batch, (terms) => encoder.features(terms)).run(pairs, options.epochs ?? 1, random);
    return encoder;
  }

  static fromParts(parts: ContrastiveEncoderParts): ContrastiveEncoder {
    const buckets = parts.table.length / parts.dimensions;
    if (!Number.isInteger(buckets) || (buckets & (buckets - 1)) !== 0 || parts.words.length !== parts.idf.length) {
      throw new Error('contrastive encoder parts do not fit together (table, words and idf sizes)');
    }
    return new ContrastiveEncoder(parts.dimensions, parts.table, new Map(parts.words.map((w, i) => [w, parts.idf[i]!])), parts.unseenIdf);
  }

  toParts(): ContrastiveEncoderParts {
    return { dimensions: this.dimensions, table: this.table, words: [...this.idfOf.keys()], idf: Float32Array.from(this.idfOf.values()), unseenIdf: this.unseenIdf };
  }

  /** Unit vector of one tokenized text (zeros for a text without words). */
  embed(terms: readonly string[]): Float32Array {
    const out = new Float32Array(this.dimensions);
    encodeInto(this.table, this.dimensions, this.features(terms), out, 0);
    return out;
  }

  /** Vectors of many tokenized texts, row-major. */
  embedMany(texts: readonly (readonly string[])[]): Float32Array {
    const out = new Float32Array(texts.length * this.dimensions);
    texts.forEach((terms, i) => encodeInto(this.table, this.dimensions, this.features(terms), out, i * this.dimensions));
    return out;
  }

  /** Cosine of `vector` with the word's own row, times its idf: how strongly a text's topic calls for the word. */
  termAffinity(vector: Float32Array, term: string): number | null {
    const idf = this.idfOf.get(term);
    if (idf === undefined) return null;
    const at = this.wordRow(term) * this.dimensions;
    let dot = 0;
    let norm = 0;
    for (let j = 0; j < this.dimensions; j++) {
      const r = this.table[at + j]!;
      dot += vector[j]! * r;
      norm += r * r;
    }
    return norm > 0 ? (dot / Math.sqrt(norm)) * idf : null;
  }

  private wordRow(word: string): number {
    return fnv1a(word, WORD_SEED) & this.mask;
  }

  /** Rows and weights of a text: (1 + ln tf) * idf per word, a fifth of that per 4-gram of a longer word. */
  features(terms: readonly string[]): Features {
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    const weightOf = new Map<number, number>();
    for (const [word, count] of tf) {
      const w = (1 + Math.log(count)) * (this.idfOf.get(word) ?? this.unseenIdf);
      const row = this.wordRow(word);
      weightOf.set(row, (weightOf.get(row) ?? 0) + w);
      if (word.length < GRAM_MIN_WORD) continue;
      const padded = `<${word}>`;
      for (let i = 0; i + GRAM <= padded.length; i++) {
        const g = fnv1a(padded.slice(i, i + GRAM), GRAM_SEED) & this.mask;
        weightOf.set(g, (weightOf.get(g) ?? 0) + GRAM_WEIGHT * w);
      }
    }
    return { rows: Int32Array.from(weightOf.keys()), weights: Float32Array.from(weightOf.values()) };
  }

  private addPair(pairs: TermPair[], query: readonly string[], target: readonly string[], minQueryWords: number): void {
    const inTarget = new Set(target);
    const own = query.filter((w) => !inTarget.has(w));
    if (own.length >= minQueryWords) pairs.push([own, target]);
  }
}

/** Weighted sum of the feature rows into out[at..at+d), normalized; returns the norm before normalizing. */
function encodeInto(table: Float32Array, d: number, f: Features, out: Float32Array, at: number): number {
  for (let j = 0; j < d; j++) out[at + j] = 0;
  for (let k = 0; k < f.rows.length; k++) {
    const r = f.rows[k]! * d;
    const w = f.weights[k]!;
    for (let j = 0; j < d; j++) out[at + j]! += w * table[r + j]!;
  }
  let norm = 0;
  for (let j = 0; j < d; j++) norm += out[at + j]! * out[at + j]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let j = 0; j < d; j++) out[at + j]! /= norm;
  return norm;
}

/** Symmetric InfoNCE over a batch of pairs, back-propagated into the table's rows (AdaGrad per row). */
class Trainer {
  private readonly a: Float32Array;
  private readonly b: Float32Array;
  private readonly ga: Float32Array;
  private readonly gb: Float32Array;
  private readonly na: Float32Array;
  private readonly nb: Float32Array;
  private readonly scores: Float32Array;
  private readonly rowSquares: Float32Array;
  private readonly gu: Float32Array;

  constructor(
    private readonly table: Float32Array,
    private readonly d: number,
    private readonly batch: number,
    private readonly featuresOf: (terms: readonly string[]) => Features,
  ) {
    this.a = new Float32Array(batch * d);
    this.b = new Float32Array(batch * d);
    this.ga = new Float32Array(batch * d);
    this.gb = new Float32Array(batch * d);
    this.na = new Float32Array(batch);
    this.nb = new Float32Array(batch);
    this.scores = new Float32Array(batch * batch);
    this.rowSquares = new Float32Array(table.length / d);
    this.gu = new Float32Array(d);
  }

  run(pairs: TermPair[], epochs: number, random: () => number): void {
    const B = this.batch;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = pairs.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
      }
      for (let start = 0; start + B <= pairs.length; start += B) this.step(pairs, start);
    }
  }

  private step(termPairs: TermPair[], start: number): void {
    const { a, b, ga, gb, d, scores } = this;
    const B = this.batch;
    const pairs = termPairs.slice(start, start + B).map(([q, t]) => [this.featuresOf(q), this.featuresOf(t)] as const);
    for (let i = 0; i < B; i++) {
      this.na[i] = encodeInto(this.table, d, pairs[i]![0], a, i * d);
      this.nb[i] = encodeInto(this.table, d, pairs[i]![1], b, i * d);
    }
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < B; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += a[i * d + k]! * b[j * d + k]!;
        scores[i * B + j] = s / TAU;
      }
    }
    ga.fill(0);
    gb.fill(0);
    // Rows: each query against every target; columns: each target against every query.
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < B; i++) {
        const at = (j: number) => (pass === 0 ? i * B + j : j * B + i);
        let max = -Infinity;
        for (let j = 0; j < B; j++) max = Math.max(max, scores[at(j)]!);
        let z = 0;
        for (let j = 0; j < B; j++) z += Math.exp(scores[at(j)]! - max);
        for (let j = 0; j < B; j++) {
          const g = (Math.exp(scores[at(j)]! - max) / z - (i === j ? 1 : 0)) / TAU / B;
          if (g === 0) continue;
          const [qi, tj] = pass === 0 ? [i, j] : [j, i];
          for (let k = 0; k < d; k++) {
            ga[qi * d + k]! += g * b[tj * d + k]!;
            gb[tj * d + k]! += g * a[qi * d + k]!;
          }
        }
      }
    }
    for (let i = 0; i < B; i++) {
      this.backward(pairs[i]![0], a, ga, i * d, this.na[i]!);
      this.backward(pairs[i]![1], b, gb, i * d, this.nb[i]!);
    }
  }

  /** Gradient through the normalization into the rows of the text's features. */
  private backward(f: Features, v: Float32Array, g: Float32Array, at: number, norm: number): void {
    if (norm === 0) return;
    const { d, gu, table } = this;
    let along = 0;
    for (let k = 0; k < d; k++) along += g[at + k]! * v[at + k]!;
    for (let k = 0; k < d; k++) gu[k] = (g[at + k]! - along * v[at + k]!) / norm;
    for (let q = 0; q < f.rows.length; q++) {
      const row = f.rows[q]!;
      const w = f.weights[q]!;
      let square = 0;
      for (let k = 0; k < d; k++) square += (w * gu[k]!) ** 2;
      this.rowSquares[row]! += square / d;
      const rate = LEARNING_RATE / Math.sqrt(this.rowSquares[row]! + 1e-6);
      const r = row * d;
      for (let k = 0; k < d; k++) table[r + k]! -= rate * w * gu[k]!;
    }
  }
}
