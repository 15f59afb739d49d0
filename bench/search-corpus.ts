/**
 * Corpora and queries for the search benchmark.
 * - Real: the 30,538 records of the arXiv cs harvest (31 OAI-PMH pages), read with the same
 *   ingest parser `paperboy import` uses.
 * - Synthetic, scaled to any N from the real records' statistics: each synthetic paper takes a
 *   real paper as a template (so title/abstract lengths, word co-occurrence and categories stay
 *   realistic) and replaces about half of its words by words of other real papers of the same
 *   primary category (so the corpus stays topical, as real corpora are: drawing replacements
 *   from the global unigram distribution instead made every paper half noise, and a vector
 *   index then needed to scan 55% of its lists where the real records need 9%); a small share
 *   of words become new rare variants so the vocabulary keeps growing with N as real
 *   vocabularies do (Heaps' law).
 * - Queries: 2-4 consecutive content words of real titles ("sparse graph decompositions"),
 *   the shape of what people type into a paper search box.
 * Everything is seeded, so every system in a run sees the same documents and queries.
 */
import { seededRandom } from '../src/search/seeded-random.js';
import { titleFragmentQueries } from '../src/search/title-fragment-queries.js';

export { seededRandom };
import fs from 'node:fs';
import path from 'node:path';
import { readIngestFile } from '../src/ingest/ingest-file.reader.js';
import type { SearchDocument } from '../src/search/search-document.js';

export const REAL_PAGES_DIR = 'arxiv/oai-pmh/arXiv-format_set-cs_harvest-2016-03-09';


const CODE_HINT = /github\.com|gitlab\.com|bitbucket\.org|source code is available|code is available/i;

/** Reads the real records; `hasCode` is guessed from the abstract and comments (arXiv has no such field). */
export async function loadRealRecords(sharedDataDir: string): Promise<SearchDocument[]> {
  const dir = path.join(sharedDataDir, REAL_PAGES_DIR);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => path.join(dir, f));
  const out: SearchDocument[] = [];
  for (const file of files) {
    const reader = await readIngestFile(file);
    for await (const item of reader.items()) {
      if (item.kind !== 'paper') continue;
      const p = item.paper;
      out.push({
        key: p.arxivId,
        title: p.title,
        abstract: p.abstract,
        authors: p.authors.map((a) => a.name).join(', '),
        categories: p.categories,
        publishedAt: p.publishedAt,
        hasCode: CODE_HINT.test(`${p.abstract} ${p.comments ?? ''}`),
      });
    }
  }
  return out;
}

const WORD_SPLIT = /\s+/;

/** Word statistics of the real corpus, enough to generate look-alike papers. */
export interface CorpusModel {
  templates: { title: string[]; abstract: string[]; authors: string; categories: string[] }[];
  /** Template indexes by primary category. */
  byCategory: Map<string, number[]>;
}

export function buildCorpusModel(records: readonly SearchDocument[]): CorpusModel {
  const byCategory = new Map<string, number[]>();
  const templates = records.map((r, i) => {
    const primary = r.categories?.[0] ?? '';
    let group = byCategory.get(primary);
    if (!group) byCategory.set(primary, (group = []));
    group.push(i);
    return { title: r.title.split(WORD_SPLIT).filter(Boolean), abstract: r.abstract.split(WORD_SPLIT).filter(Boolean), authors: r.authors, categories: r.categories ?? [] };
  });
  return { templates, byCategory };
}

/** A word of a random paper of the same primary category (its words weighted by frequency). */
function drawWord(model: CorpusModel, group: number[], random: () => number): string {
  const t = model.templates[group[Math.floor(random() * group.length)]!]!;
  const n = t.title.length + t.abstract.length;
  if (n === 0) return 'paper';
  const i = Math.floor(random() * n);
  return i < t.title.length ? t.title[i]! : t.abstract[i - t.title.length]!;
}

const REPLACE_SHARE = 0.5;
const RARE_VARIANT_SHARE = 0.003;
const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(1993, 0, 1);
const DAYS = Math.floor((Date.UTC(2025, 0, 1) - FIRST_DAY) / DAY_MS);

/** The i-th to (i+n-1)-th synthetic papers; the same seed gives the same papers. */
export function* syntheticDocuments(model: CorpusModel, n: number, seed: number): Generator<SearchDocument> {
  const next = seededRandom(seed);
  const remix = (words: string[], group: number[]) => {
    const out: string[] = [];
    for (const w of words) {
      const u = next();
      if (u < RARE_VARIANT_SHARE) out.push(`${w}${Math.floor(next() * 1e6).toString(36)}`);
      else if (u < REPLACE_SHARE) out.push(drawWord(model, group, next));
      else out.push(w);
    }
    return out.join(' ');
  };
  for (let i = 0; i < n; i++) {
    const t = model.templates[Math.floor(next() * model.templates.length)]!;
    const group = model.byCategory.get(t.categories[0] ?? '')!;
    yield {
      key: `synth-${i}`,
      title: remix(t.title, group),
      abstract: remix(t.abstract, group),
      authors: t.authors,
      categories: t.categories,
      publishedAt: new Date(FIRST_DAY + Math.floor(next() * DAYS) * DAY_MS).toISOString().slice(0, 10),
      hasCode: next() < 0.1,
    };
  }
}

/** `count` queries of 2-4 consecutive content words from real titles. */
export function realisticQueries(records: readonly SearchDocument[], count: number, seed: number): string[] {
  return titleFragmentQueries(records.map((r) => r.title), count, seed);
}
