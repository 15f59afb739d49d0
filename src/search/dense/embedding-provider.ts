/**
 * Where paper and query vectors come from. Providers return unit vectors (row-major for many
 * documents), so cosine similarity is a dot product. The corpus-trained LSA provider needs no
 * download; providers for pretrained models (a local ONNX directory, an OpenAI-compatible
 * /v1/embeddings endpoint) are meant to implement the same interface.
 */
import type { SearchDocument } from '../search-document.js';

export interface EmbeddingProvider {
  readonly name: string;
  readonly dimensions: number;
  /** One unit vector per document, row-major (documents.length x dimensions). */
  embedDocuments(documents: readonly SearchDocument[]): Promise<Float32Array>;
  embedQuery(text: string): Promise<Float32Array>;
  /**
   * How strongly a query vector is associated with each index term (null: a term the model
   * does not know), for naming the related words a search brought in. Models that only embed
   * whole texts (pretrained ones behind an endpoint) leave it out.
   */
  termAffinity?(vector: Float32Array): (term: string) => number | null;
}
