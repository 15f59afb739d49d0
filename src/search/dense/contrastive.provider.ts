/**
 * The default corpus-trained embedding provider: an LSA model fitted on the papers, then refined
 * by contrastive training on the same papers (contrastive-encoder.ts); nothing is downloaded.
 * `fit` learns from the documents it will serve and returns their vectors with it; later papers
 * are embedded with `embedDocuments`. Query embedding is synchronous as well, for hot paths.
 */
import type { SearchDocument } from '../search-document.js';
import { type Analyzer, createScientificAnalyzer } from '../tokenizer.js';
import { ContrastiveEncoder, type ContrastiveOptions } from './contrastive-encoder.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { corpusModelTerms } from './embedding-text.js';
import { type LsaOptions, LsaModel } from './lsa-model.js';

/** Chunk size for embedding many documents (bounds the temporary term lists). */
const CHUNK = 20_000;

export class ContrastiveEmbeddingProvider implements EmbeddingProvider {
  readonly name: string;

  private constructor(
    readonly encoder: ContrastiveEncoder,
    private readonly analyzer: Analyzer,
  ) {
    this.name = `contrastive-${encoder.dimensions}`;
  }

  get dimensions(): number {
    return this.encoder.dimensions;
  }

  /** Fits LSA on `documents`, trains the encoder from it, and returns the provider with the documents' vectors. */
  static fit(documents: readonly SearchDocument[], options: LsaOptions & ContrastiveOptions & { analyzer?: Analyzer } = {}): { provider: ContrastiveEmbeddingProvider; vectors: Float32Array } {
    const analyzer = options.analyzer ?? createScientificAnalyzer();
    const texts = documents.map((d) => ({ title: analyzer.terms(d.title), body: analyzer.terms(d.abstract) }));
    const { model } = LsaModel.fit(texts.map(embeddingTerms), options);
    const encoder = ContrastiveEncoder.train(texts, model, options);
    const provider = new ContrastiveEmbeddingProvider(encoder, analyzer);
    return { provider, vectors: encoder.embedMany(texts.map(embeddingTerms)) };
  }

  static fromEncoder(encoder: ContrastiveEncoder, analyzer: Analyzer = createScientificAnalyzer()): ContrastiveEmbeddingProvider {
    return new ContrastiveEmbeddingProvider(encoder, analyzer);
  }

  embedDocumentsSync(documents: readonly SearchDocument[]): Float32Array {
    const out = new Float32Array(documents.length * this.dimensions);
    for (let i = 0; i < documents.length; i += CHUNK) {
      const chunk = documents.slice(i, i + CHUNK).map((d) => embeddingTerms({ title: this.analyzer.terms(d.title), body: this.analyzer.terms(d.abstract) }));
      out.set(this.encoder.embedMany(chunk), i * this.dimensions);
    }
    return out;
  }

  embedQuerySync(text: string): Float32Array {
    return this.encoder.embed(this.analyzer.terms(text));
  }

  async embedDocuments(documents: readonly SearchDocument[]): Promise<Float32Array> {
    return this.embedDocumentsSync(documents);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embedQuerySync(text);
  }

  termAffinity(vector: Float32Array): (term: string) => number | null {
    return (term) => this.encoder.termAffinity(vector, term);
  }
}

function embeddingTerms(t: { title: readonly string[]; body: readonly string[] }): string[] {
  return corpusModelTerms(t.title, t.body);
}
