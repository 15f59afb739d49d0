/**
 * Formats evaluation rows: a readable table grouped by collection with the README's reference
 * BM25 and the published figures beside our runs, or JSON lines for scripts.
 */
import { type CollectionName, TUNING_COLLECTIONS } from './collection-loaders.js';
import type { EvalRow } from './eval-runner.js';
import { PUBLISHED_BM25, README_REFERENCE_BM25 } from './reference-figures.js';

export function formatJsonLine(row: EvalRow): string {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return `${JSON.stringify({ collection: row.collection, system: row.system, ndcg10: round(row.ndcg10), map: round(row.map), recall100: round(row.recall100) })}\n`;
}

const HEADER =
  'collection'.padEnd(16) +
  'system'.padEnd(26) +
  'nDCG@10'.padStart(8) +
  'MAP'.padStart(8) +
  'R@100'.padStart(8) +
  'queries'.padStart(9) +
  'index ms'.padStart(10) +
  'ms/query'.padStart(10);

export function formatTableHeader(): string {
  return `${HEADER}\n${'-'.repeat(HEADER.length)}\n`;
}

export function formatTableRow(row: EvalRow, first: boolean): string {
  const name = first ? `${row.collection}${TUNING_COLLECTIONS.includes(row.collection as CollectionName) ? '*' : ''}` : '';
  return (
    name.padEnd(16) +
    row.system.padEnd(26) +
    row.ndcg10.toFixed(4).padStart(8) +
    row.map.toFixed(4).padStart(8) +
    row.recall100.toFixed(4).padStart(8) +
    String(row.queries).padStart(9) +
    row.indexMs.toFixed(0).padStart(10) +
    row.queryMs.toFixed(2).padStart(10) +
    '\n'
  );
}

/** Reference lines printed after a collection's rows. */
export function formatReferences(collection: string): string {
  let out = '';
  const ref = README_REFERENCE_BM25[collection as CollectionName];
  if (ref) out += `${''.padEnd(16)}${'(README ref. BM25)'.padEnd(26)}${ref.ndcg10.toFixed(4).padStart(8)}${(ref.map?.toFixed(4) ?? '-').padStart(8)}${'-'.padStart(8)}   ${ref.note}\n`;
  const published = PUBLISHED_BM25[collection as CollectionName];
  if (published) out += `${''.padEnd(16)}${'(published BM25)'.padEnd(26)}${published.ndcg10.toFixed(4).padStart(8)}${'-'.padStart(8)}${'-'.padStart(8)}   ${published.note}\n`;
  return out;
}

export const TABLE_FOOTNOTE =
  '* tuning split: parameters were chosen on SciFact train and NFCorpus dev only; every other row is held out.\n' +
  'Relevant = grade > 0. nDCG@10 uses gain 2^grade - 1; MAP is over the top 1000; R@100 = recall at 100.\n' +
  'CRAN: queries by ordinal position; codes 1..4 -> grades 4..1; code -1 (the source paper) counts as relevant with grade 1.\n';
