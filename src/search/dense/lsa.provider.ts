/**
 * Embedding provider backed by an LSA model trained on the corpus itself (see lsa-model.ts).
 * `fit` learns from the documents it will serve and returns their vectors with it; later
 * papers are folded in with `embedDocuments`. Query embedding is synchronous as well, for
 * callers on a hot path.
 */
import type { SearchDocument } from '../search-document.js';
import { type Analyzer, createScientificAnalyzer } from '../tokenizer.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { corpusModelTerms } from './embedding-text.js';
import { type LsaOptions, LsaModel } from './lsa-model.js';

/** Chunk size for folding in many documents (bounds the temporary sparse matrix). */
const CHUNK = 20_000;

export class LsaEmbeddingProvider implements EmbeddingProvider {
  readonly name: string;

  private constructor(
    readonly model: LsaModel,
    private readonly analyzer: Analyzer,
  ) {
    this.name = `lsa-${model.dimensions}`;
  }

  get dimensions(): number {
    return this.model.dimensions;
  }

  /** Trains on `documents` and returns the provider with their vectors (row-major). */
  static fit(documents: readonly SearchDocument[], options: LsaOptions & { analyzer?: Analyzer } = {}): { provider: LsaEmbeddingProvider; vectors: Float32Array } {
    const analyzer = options.analyzer ?? createScientificAnalyzer();
    const { model, vectors } = LsaModel.fit(
      documents.map((d) => documentTerms(d, analyzer)),
      options,
    );
    return { provider: new LsaEmbeddingProvider(model, analyzer), vectors };
  }

  /** A provider around a model fitted earlier (e.g. loaded from a snapshot). */
  static fromModel(model: LsaModel, analyzer: Analyzer = createScientificAnalyzer()): LsaEmbeddingProvider {
    return new LsaEmbeddingProvider(model, analyzer);
  }

  embedDocumentsSync(documents: readonly SearchDocument[]): Float32Array {
    const out = new Float32Array(documents.length * this.dimensions);
    for (let i = 0; i < documents.length; i += CHUNK) {
      const chunk = documents.slice(i, i + CHUNK).map((d) => documentTerms(d, this.analyzer));
      out.set(this.model.embedMany(chunk), i * this.dimensions);
    }
    return out;
  }

  embedQuerySync(text: string): Float32Array {
    return this.model.embed(this.analyzer.terms(text));
  }

  async embedDocuments(documents: readonly SearchDocument[]): Promise<Float32Array> {
    return this.embedDocumentsSync(documents);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embedQuerySync(text);
  }

  termAffinity(vector: Float32Array): (term: string) => number | null {
    return (term) => this.model.termAffinity(vector, term);
  }
}

/** What LSA reads of a paper (embedding-text.ts). */
function documentTerms(d: SearchDocument, analyzer: Analyzer): string[] {
  return corpusModelTerms(analyzer.terms(d.title), analyzer.terms(d.abstract));
}
