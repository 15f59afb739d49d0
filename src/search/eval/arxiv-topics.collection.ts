/**
 * The `arxiv-topics` evaluation: semantic reach on real arXiv records. Queries are
 * plain-language descriptions of arXiv categories written from arXiv's official scopes
 * (arxiv-category-scopes.ts), one for every category at least MIN_PAPERS records list; a
 * record is relevant to its primary category with grade 2 and to a cross-listed one with
 * grade 1. `reach` marks, per query, the records that contain none of the query's words (title,
 * abstract or authors, after the search analyzer): lexical search scores them 0 by
 * construction, so only a learned representation can find the relevant ones among them
 * (metrics.ts `reachAt`).
 *
 * The systems see title, abstract and authors only; categories are removed from the
 * documents so no system can read the answer.
 */
import type { SearchDocument } from '../search-document.js';
import { type Analyzer, createScientificAnalyzer } from '../tokenizer.js';
import { ARXIV_CATEGORY_SCOPES } from './arxiv-category-scopes.js';
import { type Qrels, type ReachJudgments, type TestCollection, addJudgment } from './test-collection.js';

export const ARXIV_TOPICS = 'arxiv-topics';
export const MIN_PAPERS = 50;
/**
 * Codes arXiv keeps as aliases of another category: every record listing one lists the other
 * (cs.IT and math.IT, math-ph and math.MP, math.ST and stat.TH in the shared harvest), so the
 * alias would repeat its twin's judgments. The canonical code is kept.
 */
const ALIASES: ReadonlySet<string> = new Set(['math.IT', 'math.MP', 'stat.TH']);

export function buildArxivTopicsCollection(records: readonly SearchDocument[], analyzer: Analyzer = createScientificAnalyzer()): TestCollection {
  const listed = new Map<string, number>();
  for (const r of records) for (const c of new Set(r.categories ?? [])) listed.set(c, (listed.get(c) ?? 0) + 1);
  const categories = Object.keys(ARXIV_CATEGORY_SCOPES)
    .filter((c) => !ALIASES.has(c) && (listed.get(c) ?? 0) >= MIN_PAPERS)
    .sort();
  const wanted = new Set(categories);
  const qrels: Qrels = new Map();
  for (const r of records) {
    (r.categories ?? []).forEach((c, i) => {
      if (wanted.has(c)) addJudgment(qrels, c, r.key, i === 0 ? 2 : 1);
    });
  }
  const queries = categories.map((c) => ({ id: c, text: ARXIV_CATEGORY_SCOPES[c]! }));
  const documents = records.map((r) => ({ key: r.key, title: r.title, abstract: r.abstract, authors: r.authors }));
  return { name: ARXIV_TOPICS, documents, queries, qrels, reach: reachJudgments(documents, queries, qrels, analyzer), notes: `${categories.length} categories listed by at least ${MIN_PAPERS} of ${records.length} records; primary = grade 2, cross-list = grade 1; aliases ${[...ALIASES].join(', ')} left out` };
}

/** Per query, which documents share an analyzed term with it, and the relevant ones that do not. */
function reachJudgments(documents: readonly SearchDocument[], queries: readonly { id: string; text: string }[], qrels: Qrels, analyzer: Analyzer): Map<string, ReachJudgments> {
  const queryTerms = new Map(queries.map((q) => [q.id, new Set(analyzer.terms(q.text))]));
  const allTerms = new Set([...queryTerms.values()].flatMap((t) => [...t]));
  // Documents holding each query term (one pass over the documents).
  const holders = new Map<string, number[]>([...allTerms].map((t) => [t, []]));
  documents.forEach((d, i) => {
    for (const term of new Set(analyzer.terms(`${d.title}\n${d.abstract}\n${d.authors}`))) holders.get(term)?.push(i);
  });
  const indexOf = new Map(documents.map((d, i) => [d.key, i]));
  const out = new Map<string, ReachJudgments>();
  for (const q of queries) {
    const shares = new Uint8Array(documents.length);
    for (const term of queryTerms.get(q.id)!) for (const i of holders.get(term)!) shares[i] = 1;
    const sharesWord = (key: string) => {
      const i = indexOf.get(key);
      return i !== undefined && shares[i] === 1;
    };
    const relevant = new Set([...(qrels.get(q.id) ?? new Map<string, number>())].filter(([key, grade]) => grade > 0 && !sharesWord(key)).map(([key]) => key));
    out.set(q.id, { relevant, sharesWord });
  }
  return out;
}
