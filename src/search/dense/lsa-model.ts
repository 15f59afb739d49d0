/**
 * Latent semantic analysis learned from the corpus itself: TF-IDF (sublinear tf, smooth idf,
 * unit rows) over the analyzer's terms, reduced with randomized truncated SVD. A text's vector
 * is its TF-IDF row folded into the latent space, scaled per dimension by sigma^(exponent - 1)
 * and normalized, so cosine similarity is a dot product. Papers that share no word but share
 * neighbours ("cardiac" / "heart" / "ECG") land close together.
 */
import { normalizeRows } from './dense-linear-algebra.js';
import { randomizedSvd } from './randomized-svd.js';
import { SparseMatrix } from './sparse-matrix.js';

export interface LsaOptions {
  dimensions?: number;
  /** Terms in fewer documents are dropped (default 2). */
  minDf?: number;
  /** Keep at most this many terms, the most frequent (default 200,000). */
  maxVocabulary?: number;
  /** Singular-value weighting of the dimensions: 1 = U Sigma, 0 = U (default 0.5). */
  sigmaExponent?: number;
  powerIterations?: number;
  seed?: number;
}

/** What a fitted model consists of, for snapshots (vocabulary terms in column order). */
export interface LsaModelParts {
  terms: string[];
  idf: Float32Array;
  projection: Float32Array;
  dimensions: number;
  singularValues: Float64Array;
}

export class LsaModel {
  private constructor(
    readonly vocabulary: Map<string, number>,
    readonly idf: Float32Array,
    /** vocabulary x dimensions, row-major, already scaled by sigma^(exponent-1). */
    readonly projection: Float32Array,
    readonly dimensions: number,
    readonly singularValues: Float64Array,
  ) {}

  /** Learns the model from tokenized documents (term lists); returns it with the documents' vectors. */
  static fit(documents: readonly (readonly string[])[], options: LsaOptions = {}): { model: LsaModel; vectors: Float32Array } {
    const df = new Map<string, number>();
    for (const terms of documents) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
    const minDf = options.minDf ?? 2;
    const kept = [...df].filter(([, n]) => n >= minDf).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, options.maxVocabulary ?? 200_000);
    const vocabulary = new Map(kept.map(([t], i) => [t, i]));
    const n = documents.length;
    const idf = new Float32Array(kept.length);
    kept.forEach(([, d], i) => (idf[i] = Math.log((n + 1) / (d + 1)) + 1));
    const x = tfidfMatrix(documents, vocabulary, idf);
    const dims = Math.max(1, Math.min(options.dimensions ?? 256, Math.min(n, vocabulary.size) - 1));
    // One power iteration: on SciFact train and NFCorpus dev two gave no better vectors, at 1.5x the cost.
    const svd = randomizedSvd(x, dims, { powerIterations: options.powerIterations ?? 1, seed: options.seed ?? 42 });
    const exponent = options.sigmaExponent ?? 0.5;
    // Components V give U Sigma = X V; rescale columns so vectors are U Sigma^exponent.
    const projection = svd.components;
    for (let j = 0; j < svd.rank; j++) {
      const s = svd.singularValues[j]! > 0 ? svd.singularValues[j]! ** (exponent - 1) : 0;
      for (let i = 0; i < vocabulary.size; i++) projection[i * svd.rank + j]! *= s;
    }
    const model = new LsaModel(vocabulary, idf, projection, svd.rank, svd.singularValues);
    const vectors = x.multiply(projection, svd.rank);
    normalizeRows(vectors, documents.length, svd.rank);
    return { model, vectors };
  }

  toParts(): LsaModelParts {
    return { terms: [...this.vocabulary.keys()], idf: this.idf, projection: this.projection, dimensions: this.dimensions, singularValues: this.singularValues };
  }

  static fromParts(parts: LsaModelParts): LsaModel {
    if (parts.idf.length !== parts.terms.length || parts.projection.length !== parts.terms.length * parts.dimensions) {
      throw new Error('LSA model parts do not fit together (vocabulary, idf and projection sizes differ)');
    }
    return new LsaModel(new Map(parts.terms.map((t, i) => [t, i])), parts.idf, parts.projection, parts.dimensions, parts.singularValues);
  }

  /** Unit vector of one tokenized text (all zeros when it shares no term with the model). */
  embed(terms: readonly string[]): Float32Array {
    const x = tfidfMatrix([terms], this.vocabulary, this.idf);
    const v = x.multiply(this.projection, this.dimensions);
    normalizeRows(v, 1, this.dimensions);
    return v;
  }

  /**
   * The model's rank-k estimate of `term`'s weight in a text whose vector is `vector`, times the
   * term's idf: high for words the text's topic uses and few other texts do. Vectors are
   * u Sigma^0.5 and projection rows v Sigma^-0.5 (the default exponent), so vector . row * Sigma
   * is u Sigma v, the text's reconstructed TF-IDF entry. Null for a term outside the vocabulary.
   */
  termAffinity(vector: Float32Array, term: string): number | null {
    const row = this.vocabulary.get(term);
    if (row === undefined) return null;
    const d = this.dimensions;
    let s = 0;
    for (let j = 0; j < d; j++) s += vector[j]! * this.projection[row * d + j]! * this.singularValues[j]!;
    return s * this.idf[row]!;
  }

  /** Vectors of many tokenized texts, row-major. */
  embedMany(documents: readonly (readonly string[])[]): Float32Array {
    const v = tfidfMatrix(documents, this.vocabulary, this.idf).multiply(this.projection, this.dimensions);
    normalizeRows(v, documents.length, this.dimensions);
    return v;
  }
}

/** Rows: (1 + ln tf) * idf over the vocabulary, L2-normalized. */
function tfidfMatrix(documents: readonly (readonly string[])[], vocabulary: Map<string, number>, idf: Float32Array): SparseMatrix {
  const rowStart = new Uint32Array(documents.length + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  documents.forEach((terms, r) => {
    const tf = new Map<number, number>();
    for (const t of terms) {
      const c = vocabulary.get(t);
      if (c !== undefined) tf.set(c, (tf.get(c) ?? 0) + 1);
    }
    const entries = [...tf].sort((a, b) => a[0] - b[0]);
    let norm = 0;
    const w = entries.map(([c, f]) => {
      const v = (1 + Math.log(f)) * idf[c]!;
      norm += v * v;
      return v;
    });
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    entries.forEach(([c], i) => {
      cols.push(c);
      vals.push(w[i]! * inv);
    });
    rowStart[r + 1] = cols.length;
  });
  return new SparseMatrix(documents.length, vocabulary.size, rowStart, Uint32Array.from(cols), Float32Array.from(vals));
}
