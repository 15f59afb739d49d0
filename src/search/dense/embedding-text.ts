/**
 * What an embedding model reads of one paper. A pretrained model reads title and abstract as
 * text, as sentence embedding models were trained on; the corpus-trained models (LSA, the
 * contrastive encoder) read analyzed terms, the title's twice. Authors carry no topic and are
 * left out of both.
 */
import type { SearchDocument } from '../search-document.js';

export function embeddingText(document: SearchDocument): string {
  const title = document.title.trim();
  const abstract = document.abstract.trim();
  if (!title || !abstract) return title || abstract;
  // A full stop keeps the title from running into the abstract's first sentence.
  return /[.!?:]$/.test(title) ? `${title} ${abstract}` : `${title}. ${abstract}`;
}

/** A paper's terms for the corpus-trained models: the title twice (titles are dense with topic words), then the abstract. */
export function corpusModelTerms(title: readonly string[], abstract: readonly string[]): string[] {
  return [...title, ...title, ...abstract];
}
