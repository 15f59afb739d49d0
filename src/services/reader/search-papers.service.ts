/**
 * The `searchPapers` use case. A `SearchBackend` (the search engine's, engine-search-backend.ts)
 * ranks arXiv ids for a query; this service validates the query, asks the backend,
 * loads the papers and their community signals, and fills in highlight segments the backend
 * did not provide. Pages, the Hugging Face-compatible API and the feeds all call this.
 */
import { ValidationError } from '../../domain/errors.js';
import { isIsoDate } from '../../domain/civil-date.js';
import { texPlain } from '../../domain/tex-segments.js';
import { countCommentsByArxivId } from '../../store/comment.repository.js';
import type { Db } from '../../store/database.js';
import { countVotesByArxivId } from '../../store/vote.repository.js';
import type { FeedPaper } from './feed.types.js';
import { highlightSegments, highlightSnippet, type HighlightSegment } from './search-highlight.js';

export type { HighlightSegment } from './search-highlight.js';

export const MAX_QUERY_CHARS = 250;
export const MAX_PAGE_SIZE = 120;

export interface SearchFilters {
  /** First publication day, YYYY-MM-DD (inclusive). */
  from?: string;
  /** Last publication day, YYYY-MM-DD (inclusive). */
  to?: string;
  category?: string;
  hasCode?: boolean;
}

export interface SearchQuery {
  q: string;
  filters: SearchFilters;
  /** 0-based. */
  page: number;
  pageSize: number;
  /** Search by meaning too (default true); false keeps to the query's own words. */
  expand?: boolean;
}

/** What a backend returns for one page: ranked ids, optionally with its own highlights. */
export interface BackendHit {
  arxivId: string;
  score: number;
  highlightedTitle?: HighlightSegment[];
  highlightedSummary?: HighlightSegment[];
  /** The paper contains none of the query's words: found by meaning. */
  byMeaning?: boolean;
  /** The visible paper itself: the backend loads it anyway (for snippets), so it is not read twice. */
  paper: FeedPaper;
  /** Title and abstract already converted to plain text, when the backend has them. */
  plain?: { title: string; abstract: string };
}

export interface Suggestions {
  papers: { arxivId: string; title: string }[];
  /** The typed text with its last word completed from the titles' vocabulary. */
  completions: string[];
}

export interface SearchBackend {
  /** Shown in API answers and the page footer, e.g. `sql-fallback`. */
  readonly name: string;
  /** Search as you type: words only, never the full (hybrid) search. */
  suggest(text: string, limit: number): Promise<Suggestions>;
  search(input: { q: string; filters: SearchFilters; offset: number; limit: number; expand?: boolean }): Promise<{
    total: number;
    /** More papers match than `total` counts (the result list is capped). */
    totalIsLowerBound?: boolean;
    hits: BackendHit[];
    terms: string[];
    /** The engine that answered this query when it differs from `name` (e.g. hybrid rather than lexical). */
    engine?: string;
    /** Related words search by meaning brought in (shown as "also matching"). */
    related?: string[];
  }>;
}

export interface SearchHit {
  paper: FeedPaper;
  score: number;
  upvotes: number;
  comments: number;
  highlightedTitle: HighlightSegment[];
  highlightedSummary: HighlightSegment[];
  /** Found by meaning: the paper contains none of the query's words. */
  byMeaning: boolean;
  /** Title and abstract as plain text (TeX converted once per paper version, by the engine). */
  plain: { title: string; abstract: string };
}

export interface SearchResults {
  query: SearchQuery;
  hits: SearchHit[];
  /** Length of the result list the pages are slices of: exact, or a lower bound (see below). */
  total: number;
  /** More papers match the query's words than the result list holds: show "100+". */
  totalIsLowerBound: boolean;
  hasMore: boolean;
  engine: string;
  /** The terms the backend matched, for highlighting elsewhere (feeds, suggestions). */
  terms: string[];
  /** Whether search by meaning was asked for (it can still be unavailable: see `engine`). */
  expand: boolean;
  /** Related words search by meaning brought in, best first (empty when it did not take part). */
  related: string[];
}

export interface SearchPapers {
  search(query: SearchQuery): Promise<SearchResults>;
  /** Titles for search-as-you-type: the first few hits of the query so far. */
  /** Search as you type: titles holding every typed word (the last as a prefix), and completions of the text. */
  suggest(prefix: string, limit: number): Promise<Suggestions>;
}

function checkQuery(query: SearchQuery): void {
  if (query.q.length > MAX_QUERY_CHARS) throw new ValidationError(`The query is too long (${query.q.length} characters; at most ${MAX_QUERY_CHARS}).`, { field: 'q' });
  if (!Number.isInteger(query.page) || query.page < 0 || query.page > 10_000) throw new ValidationError('"page" must be an integer from 0 to 10000.', { field: 'page' });
  if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > MAX_PAGE_SIZE) throw new ValidationError(`"limit" must be an integer from 1 to ${MAX_PAGE_SIZE}.`, { field: 'limit' });
  for (const key of ['from', 'to'] as const) {
    const d = query.filters[key];
    if (d !== undefined && !isIsoDate(d)) throw new ValidationError(`"${key}" must be a real date as YYYY-MM-DD.`, { field: key });
  }
  if (query.filters.from && query.filters.to && query.filters.from > query.filters.to) throw new ValidationError('"from" must not be after "to".', { field: 'from' });
  if (query.filters.category !== undefined && !/^[a-z-]+(\.[A-Za-z-]+)?$/.test(query.filters.category)) throw new ValidationError(`"${query.filters.category.slice(0, 40)}" is not an arXiv category (e.g. cs.LG).`, { field: 'category' });
}

export function createSearchPapers(deps: { db: Db; backend: SearchBackend }): SearchPapers {
  const db = deps.db.kysely;
  return {
    async search(query) {
      checkQuery(query);
      const q = query.q.trim();
      const expand = query.expand ?? true;
      if (q === '') return { query, hits: [], total: 0, totalIsLowerBound: false, hasMore: false, engine: deps.backend.name, terms: [], expand, related: [] };
      const result = await deps.backend.search({ q, filters: query.filters, offset: query.page * query.pageSize, limit: query.pageSize, expand });
      const ids = result.hits.map((h) => h.arxivId);
      const [votes, comments] = await Promise.all([countVotesByArxivId(db, ids), countCommentsByArxivId(db, ids)]);
      const hits: SearchHit[] = [];
      for (const h of result.hits) {
        const paper = h.paper;
        const plain = h.plain ?? { title: texPlain(paper.title), abstract: texPlain(paper.abstract) };
        hits.push({
          plain,
          paper,
          score: h.score,
          upvotes: votes.get(h.arxivId) ?? 0,
          comments: comments.get(h.arxivId) ?? 0,
          highlightedTitle: h.highlightedTitle ?? highlightSegments(plain.title, result.terms),
          highlightedSummary: h.highlightedSummary ?? highlightSnippet(plain.abstract, result.terms),
          byMeaning: h.byMeaning ?? false,
        });
      }
      return { query, hits, total: result.total, totalIsLowerBound: result.totalIsLowerBound ?? false, hasMore: (query.page + 1) * query.pageSize < result.total, engine: result.engine ?? deps.backend.name, terms: result.terms, expand, related: result.related ?? [] };
    },
    async suggest(prefix, limit) {
      const q = prefix.trimStart().slice(0, MAX_QUERY_CHARS);
      if (q.trim().length < 2) return { papers: [], completions: [] };
      return deps.backend.suggest(q, Math.min(10, Math.max(1, limit)));
    },
  };
}
