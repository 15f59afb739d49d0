/**
 * The text a pretrained embedding model reads for one paper: title and abstract, as sentence
 * embedding models were trained on (authors carry no topic and waste the length budget).
 */
import type { SearchDocument } from '../search-document.js';

export function embeddingText(document: SearchDocument): string {
  const title = document.title.trim();
  const abstract = document.abstract.trim();
  if (!title || !abstract) return title || abstract;
  // A full stop keeps the title from running into the abstract's first sentence.
  return /[.!?:]$/.test(title) ? `${title} ${abstract}` : `${title}. ${abstract}`;
}
