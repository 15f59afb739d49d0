/**
 * Loaders for the test collections in `shared/data` (formats and pitfalls: its README). Each
 * returns documents in the engine's input shape, the judged queries and graded qrels.
 *
 * Decisions, also printed with every evaluation:
 * - CRAN qrels name queries by their ordinal position in cran.qry, not by `.I` (which skips
 *   numbers). Codes 1..4 (1 = complete answer) become grades 4..1. Code -1 marks the paper the
 *   question was written from; it is counted as relevant with the lowest grade (1), as the
 *   README's "every line relevant" reference run counts it, so MAP and recall match that run's
 *   definition (nDCG is graded).
 * - Classic collections: title `.T` -> title, `.W` -> abstract, `.A` -> authors; queries use
 *   `.W` only (CISI's bibliographic `.T/.A/.B` query parts are ignored).
 * - NFCorpus: the original release's preprocessed text (no titles) -> abstract; `titles`
 *   queries; 2-1-0 qrels (grade 2 and 1 relevant).
 * - SciFact: BEIR corpus title -> title, text -> abstract; claims as queries.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SearchDocument } from '../search-document.js';
import { normalizeNumericId, parseSmart } from './smart-format.reader.js';
import { type EvalQuery, type Qrels, type TestCollection, addJudgment, judgedQueries } from './test-collection.js';

export const COLLECTION_NAMES = ['med', 'cran', 'cisi', 'cacm', 'npl', 'nfcorpus-dev', 'nfcorpus-test', 'scifact-train', 'scifact-test'] as const;
export type CollectionName = (typeof COLLECTION_NAMES)[number];

/** Splits used to choose parameters; their figures are not test results. */
export const TUNING_COLLECTIONS: readonly CollectionName[] = ['nfcorpus-dev', 'scifact-train'];

export function loadCollection(name: CollectionName, dataDir: string): TestCollection {
  switch (name) {
    case 'med':
      return loadMed(path.join(dataDir, 'med'));
    case 'cran':
      return loadCran(path.join(dataDir, 'cran'));
    case 'cisi':
      return loadCisi(path.join(dataDir, 'cisi'));
    case 'cacm':
      return loadCacm(path.join(dataDir, 'cacm'));
    case 'npl':
      return loadNpl(path.join(dataDir, 'npl'));
    case 'nfcorpus-dev':
      return loadNfcorpus(path.join(dataDir, 'nfcorpus'), 'dev');
    case 'nfcorpus-test':
      return loadNfcorpus(path.join(dataDir, 'nfcorpus'), 'test');
    case 'scifact-train':
      return loadScifact(path.join(dataDir, 'scifact'), 'train');
    case 'scifact-test':
      return loadScifact(path.join(dataDir, 'scifact'), 'test');
  }
}

function latin1(file: string): string {
  return fs.readFileSync(file, 'latin1');
}

function utf8(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

function smartDocuments(file: string): SearchDocument[] {
  return parseSmart(latin1(file)).map((r) => ({
    key: normalizeNumericId(r.id),
    title: r.fields.get('T') ?? '',
    abstract: r.fields.get('W') ?? '',
    authors: r.fields.get('A') ?? '',
  }));
}

function smartQueries(file: string, idOf: (id: string, ordinal: number) => string): EvalQuery[] {
  return parseSmart(latin1(file)).map((r) => ({ id: idOf(r.id, r.ordinal), text: r.fields.get('W') ?? '' }));
}

/** Whitespace-separated qrels lines; `pick` maps the columns to a judgment (or null to skip). */
function readQrels(file: string, read: (text: string) => string, pick: (cols: string[]) => [string, string, number] | null): Qrels {
  const qrels: Qrels = new Map();
  for (const line of read(file).split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 2 || cols[0] === '') continue;
    const j = pick(cols);
    if (j) addJudgment(qrels, j[0], j[1], j[2]);
  }
  return qrels;
}

function collection(name: string, documents: SearchDocument[], queries: EvalQuery[], qrels: Qrels, notes: string): TestCollection {
  return { name, documents, queries: judgedQueries(queries, qrels), qrels, notes };
}

export function loadMed(dir: string): TestCollection {
  const documents = smartDocuments(path.join(dir, 'MED.ALL'));
  const queries = smartQueries(path.join(dir, 'MED.QRY'), (id) => normalizeNumericId(id));
  // MED.REL: `qid 0 docid 1`.
  const qrels = readQrels(path.join(dir, 'MED.REL'), utf8, (c) => [normalizeNumericId(c[0]!), normalizeNumericId(c[2]!), Number(c[3] ?? 1)]);
  return collection('med', documents, queries, qrels, 'MED.ALL .W as abstract; binary qrels from MED.REL');
}

/** Cleverdon code (1 = complete answer .. 4 = minimum interest; -1 = source paper) -> grade. */
export function cranGrade(code: number): number {
  if (code === -1) return 1;
  if (code >= 1 && code <= 4) return 5 - code;
  return 0;
}

export function loadCran(dir: string): TestCollection {
  const documents = smartDocuments(path.join(dir, 'cran.all.1400'));
  // cranqrel's qid is the ordinal position in cran.qry, not the `.I` number.
  const queries = smartQueries(path.join(dir, 'cran.qry'), (_id, ordinal) => String(ordinal));
  const qrels = readQrels(path.join(dir, 'cranqrel'), utf8, (c) => [c[0]!, c[1]!, cranGrade(Number(c[2]))]);
  return collection('cran', documents, queries, qrels, 'queries by ordinal position; codes 1..4 -> grades 4..1; code -1 (source paper) -> grade 1 (relevant, lowest)');
}

export function loadCisi(dir: string): TestCollection {
  const documents = smartDocuments(path.join(dir, 'CISI.ALL'));
  const queries = smartQueries(path.join(dir, 'CISI.QRY'), (id) => normalizeNumericId(id));
  const qrels = readQrels(path.join(dir, 'CISI.REL'), latin1, (c) => [normalizeNumericId(c[0]!), normalizeNumericId(c[1]!), 1]);
  return collection('cisi', documents, queries, qrels, 'queries .W only; binary qrels');
}

export function loadCacm(dir: string): TestCollection {
  const documents = smartDocuments(path.join(dir, 'cacm.all'));
  const queries = smartQueries(path.join(dir, 'query.text'), (id) => normalizeNumericId(id));
  const qrels = readQrels(path.join(dir, 'qrels.text'), latin1, (c) => [normalizeNumericId(c[0]!), normalizeNumericId(c[1]!), 1]);
  return collection('cacm', documents, queries, qrels, 'T+W(+A); zero-padded qids normalized; binary qrels');
}

/** NPL blocks: an id line, text lines, then a line holding only `/`. */
function nplBlocks(text: string): { id: string; body: string[] }[] {
  const blocks: { id: string; body: string[] }[] = [];
  let current: { id: string; body: string[] } | null = null;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '/') {
      current = null;
      continue;
    }
    if (!current) {
      if (trimmed === '') continue;
      current = { id: trimmed, body: [] };
      blocks.push(current);
      continue;
    }
    current.body.push(line);
  }
  return blocks;
}

export function loadNpl(dir: string): TestCollection {
  const documents = nplBlocks(latin1(path.join(dir, 'doc-text'))).map((b) => ({ key: b.id, title: '', abstract: b.body.join('\n'), authors: '' }));
  const queries = nplBlocks(latin1(path.join(dir, 'query-text'))).map((b) => ({ id: b.id, text: b.body.join('\n') }));
  const qrels: Qrels = new Map();
  for (const b of nplBlocks(latin1(path.join(dir, 'rlv-ass')))) {
    for (const docId of b.body.join(' ').trim().split(/\s+/)) if (docId) addJudgment(qrels, b.id, docId, 1);
  }
  return collection('npl', documents, queries, qrels, 'text as abstract; binary qrels from rlv-ass');
}

function tabLines(file: string): string[][] {
  return utf8(file)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'));
}

export function loadNfcorpus(dir: string, split: 'dev' | 'test'): TestCollection {
  const documents = tabLines(path.join(dir, `${split}.docs`)).map(([id, text]) => ({ key: id!, title: '', abstract: text ?? '', authors: '' }));
  const queries = tabLines(path.join(dir, `${split}.titles.queries`)).map(([id, text]) => ({ id: id!, text: text ?? '' }));
  const qrels = readQrels(path.join(dir, `${split}.2-1-0.qrel`), utf8, (c) => [c[0]!, c[2]!, Number(c[3])]);
  return collection(`nfcorpus-${split}`, documents, queries, qrels, 'original preprocessed text (no titles); titles queries; 2-1-0 qrels (graded)');
}

export function loadScifact(dir: string, split: 'train' | 'test'): TestCollection {
  const documents = utf8(path.join(dir, 'corpus.jsonl'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const r = JSON.parse(l) as { _id: string; title: string; text: string };
      return { key: r._id, title: r.title, abstract: r.text, authors: '' };
    });
  const queries = utf8(path.join(dir, 'queries.jsonl'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const r = JSON.parse(l) as { _id: string; text: string };
      return { id: r._id, text: r.text };
    });
  const qrels = readQrels(path.join(dir, 'qrels', `${split}.tsv`), utf8, (c) => (c[0] === 'query-id' ? null : [c[0]!, c[1]!, Number(c[2])]));
  return collection(`scifact-${split}`, documents, queries, qrels, 'BEIR corpus: title -> title, text -> abstract; claims as queries; binary qrels');
}
