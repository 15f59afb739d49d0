/**
 * Formats evaluation rows: a readable table grouped by collection with the README's reference
 * BM25 and the published figures beside our runs, or JSON lines for scripts.
 */
import { type CollectionName, TUNING_COLLECTIONS } from './collection-loaders.js';
import type { EvalRow, QueryRuns } from './eval-runner.js';
import { ndcgAt } from './metrics.js';
import type { TestCollection } from './test-collection.js';
import { PUBLISHED_BM25, README_REFERENCE_BM25 } from './reference-figures.js';

export function formatJsonLine(row: EvalRow): string {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const reach = row.reach === null ? {} : { precision10: round(row.precision10), reach: round(row.reach) };
  return `${JSON.stringify({ collection: row.collection, system: row.system, ndcg10: round(row.ndcg10), map: round(row.map), recall100: round(row.recall100), ...reach })}\n`;
}

const HEADER =
  'collection'.padEnd(16) +
  'system'.padEnd(26) +
  'nDCG@10'.padStart(8) +
  'MAP'.padStart(8) +
  'R@100'.padStart(8) +
  'P@10'.padStart(8) +
  'reach'.padStart(8) +
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
    row.precision10.toFixed(4).padStart(8) +
    (row.reach === null ? '-' : row.reach.toFixed(4)).padStart(8) +
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
  if (ref) out += `${''.padEnd(16)}${'(README ref. BM25)'.padEnd(26)}${ref.ndcg10.toFixed(4).padStart(8)}${(ref.map?.toFixed(4) ?? '-').padStart(8)}${'-'.padStart(8)}${'-'.padStart(8)}${'-'.padStart(8)}   ${ref.note}\n`;
  const published = PUBLISHED_BM25[collection as CollectionName];
  if (published) out += `${''.padEnd(16)}${'(published BM25)'.padEnd(26)}${published.ndcg10.toFixed(4).padStart(8)}${'-'.padStart(8)}${'-'.padStart(8)}${'-'.padStart(8)}${'-'.padStart(8)}   ${published.note}\n`;
  return out;
}

export const TABLE_FOOTNOTE =
  '* tuning split: parameters were chosen on SciFact train and NFCorpus dev only; every other row is held out.\n' +
  'Relevant = grade > 0. nDCG@10 uses gain 2^grade - 1; MAP is over the top 1000; R@100 = recall at 100; P@10 = precision at 10.\n' +
  'reach (arxiv-topics): of the ranked papers that contain none of the query\'s words (lexical search scores them 0), the relevant share of the first 100, out of min(100, such relevant papers).\n' +
  'arxiv-topics: queries describe arXiv categories from their official scopes; primary category = grade 2, cross-list = grade 1; nothing was tuned on it.\n' +
  'CRAN: queries by ordinal position; codes 1..4 -> grades 4..1; code -1 (the source paper) counts as relevant with grade 1.\n';

/**
 * Query-by-query output, for a person to read what each system returned: the query, then per
 * system its nDCG@10 and top `depth` documents, each with its grade (0 = not judged relevant),
 * whether it shares a word with the query, and its title.
 */
export function formatQueryByQuery(collection: TestCollection, runs: ReadonlyMap<string, QueryRuns>, depth = 10): string {
  const titles = new Map(collection.documents.map((d) => [d.key, d.title]));
  let out = `\n== ${collection.name}: query by query ==\n`;
  for (const q of collection.queries) {
    const judged = collection.qrels.get(q.id) ?? new Map<string, number>();
    const reach = collection.reach?.get(q.id);
    out += `\n[${q.id}] ${q.text}\n`;
    for (const [system, run] of runs) {
      const ranking = run.get(q.id) ?? [];
      out += `  ${system}: nDCG@10 ${ndcgAt(ranking, judged, 10).toFixed(3)}\n`;
      ranking.slice(0, depth).forEach((key, i) => {
        const grade = judged.get(key) ?? 0;
        const mark = reach && !reach.sharesWord(key) ? ' (no query word)' : '';
        out += `    ${String(i + 1).padStart(2)}. [${grade}] ${key}${mark}  ${(titles.get(key) ?? '').replace(/\s+/g, ' ').slice(0, 100)}\n`;
      });
    }
  }
  return out;
}
