/**
 * A simple ranked search that needs no index, standing in for the real engine (src/search/)
 * behind the `SearchBackend` seam: SQL finds papers containing every query term (or, when none
 * does, any term), and a BM25-like score ranks them, title matches weighing three times an
 * abstract match. Good enough to make the pages and API real; not a relevance claim.
 */
import { texPlain } from '../../domain/tex-segments.js';
import type { Db } from '../../store/database.js';
import { searchCandidates, type SearchCandidateRow } from '../../store/feed-search.repository.js';
import type { SearchBackend, SearchFilters } from './search-papers.service.js';

/** Rows examined per query; beyond this the newest matching papers are ranked. */
const CANDIDATE_CAP = 3_000;
const MAX_TERMS = 8;
const STOP_WORDS = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'in', 'is', 'it', 'of', 'on', 'or', 'that', 'the', 'to', 'with', 'we', 'via']);

/** Lower-case, accent-free words of the query, stop words dropped, at most eight. */
export function queryTerms(q: string): string[] {
  const words = q
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 && !STOP_WORDS.has(w));
  return [...new Set(words)].slice(0, MAX_TERMS);
}

function countOccurrences(haystack: string, term: string): number {
  let n = 0;
  for (let i = haystack.indexOf(term); i >= 0; i = haystack.indexOf(term, i + term.length)) n++;
  return n;
}

function fold(s: string): string {
  return texPlain(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function rank(rows: SearchCandidateRow[], terms: string[]): { arxivId: string; score: number; publishedAt: string }[] {
  const docs = rows.map((r) => ({ row: r, title: fold(r.title), abstract: fold(r.abstract), authors: r.authorsJson.toLowerCase() }));
  const n = docs.length;
  const idf = new Map(terms.map((t) => [t, Math.log(1 + (n + 1) / (1 + docs.filter((d) => d.title.includes(t) || d.abstract.includes(t) || d.authors.includes(t)).length))]));
  return docs.map((d) => {
    let score = 0;
    for (const t of terms) {
      const tf = 3 * countOccurrences(d.title, t) + countOccurrences(d.abstract, t) + 2 * countOccurrences(d.authors, t);
      score += (idf.get(t) ?? 0) * ((tf * 2.2) / (tf + 1.2));
    }
    return { arxivId: d.row.arxivId, score, publishedAt: d.row.publishedAt ?? '' };
  });
}

export function createFallbackSearchBackend(db: Db): SearchBackend {
  return {
    name: 'sql-fallback',
    async search({ q, filters, offset, limit }: { q: string; filters: SearchFilters; offset: number; limit: number }) {
      const terms = queryTerms(q);
      if (terms.length === 0) return { total: 0, hits: [], terms };
      const base = { terms, ...filters, limit: CANDIDATE_CAP };
      let rows = await searchCandidates(db.kysely, base);
      if (rows.length === 0 && terms.length > 1) rows = await searchCandidates(db.kysely, { ...base, anyTerm: true });
      const ranked = rank(rows, terms).sort((a, b) => b.score - a.score || (b.publishedAt > a.publishedAt ? 1 : b.publishedAt < a.publishedAt ? -1 : 0));
      return { total: ranked.length, hits: ranked.slice(offset, offset + limit).map(({ arxivId, score }) => ({ arxivId, score: Math.round(score * 1000) / 1000 })), terms };
    },
  };
}
