/**
 * What the search engine indexes for one paper, independent of the store. `key` is the
 * external id (an arXiv id in Paperboy); everything inside the index uses dense integers.
 */
export interface SearchDocument {
  key: string;
  title: string;
  abstract: string;
  /** Author names as one string ("Ileana Streinu, Louis Theran"). */
  authors: string;
  categories?: string[];
  /** ISO date or timestamp of first publication. */
  publishedAt?: string | null;
  hasCode?: boolean;
}

/** Indexed text fields, in the order the index stores their statistics. */
export const FIELDS = ['title', 'abstract', 'authors'] as const;
export type FieldName = (typeof FIELDS)[number];
export const FIELD_COUNT = FIELDS.length;
