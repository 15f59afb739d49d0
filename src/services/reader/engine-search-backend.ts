/**
 * Plugs Paperboy's own search engine (src/search, kept in step with the store by
 * paper-search-engine.service.ts) into the `SearchBackend` seam of the searchPapers use case,
 * and provides content-based similar papers for paper pages.
 */
import { texPlain } from '../../domain/tex-segments.js';
import type { PaperSearchEngine } from '../search-index/paper-search-engine.js';
import type { SimilarPapersSource } from './paper-page.service.js';
import type { SearchBackend, SearchFilters } from './search-papers.service.js';
import type { SearchFilter } from '../../search/search-filter.js';

function toEngineFilter(filters: SearchFilters): SearchFilter | undefined {
  const f: SearchFilter = {
    ...(filters.from ? { publishedFrom: filters.from } : {}),
    ...(filters.to ? { publishedTo: filters.to } : {}),
    ...(filters.category ? { categories: [filters.category] } : {}),
    ...(filters.hasCode !== undefined ? { hasCode: filters.hasCode } : {}),
  };
  return Object.keys(f).length > 0 ? f : undefined;
}

/** Engine names the API reports: the lexical index alone, or lexical and vector sides fused. */
export const LEXICAL_ENGINE = 'paperboy-bm25f';
export const HYBRID_ENGINE = 'paperboy-hybrid';

export function createEngineSearchBackend(engine: PaperSearchEngine): SearchBackend {
  return {
    name: LEXICAL_ENGINE,
    async suggest(text, limit) {
      const result = await engine.suggest(text, limit);
      return { papers: result.papers.map((p) => ({ arxivId: p.paper.arxivId, title: p.title })), completions: result.completions };
    },
    async search({ q, filters, offset, limit, expand }) {
      const filter = toEngineFilter(filters);
      const result = await engine.search(q, { limit, offset, ...(filter ? { filter } : {}), ...(expand === false ? { expand: false } : {}) });
      const hits = result.hits.map((h) => ({
        arxivId: h.paper.arxivId,
        paper: h.paper,
        score: h.score,
        highlightedTitle: h.highlightedTitle,
        highlightedSummary: h.highlightedSummary,
        byMeaning: h.byMeaning,
        plain: h.plain,
      }));
      // Pages are slices of one result list; its length is the count (a lower bound when words
      // alone match more papers than the list holds).
      return {
        total: result.total,
        totalIsLowerBound: result.totalIsLowerBound,
        hits,
        terms: result.terms,
        engine: result.mode === 'hybrid' ? HYBRID_ENGINE : LEXICAL_ENGINE,
        related: result.related,
      };
    },
  };
}

/**
 * Similar papers by content: the nearest papers in the vector space when the paper has a
 * vector, else (no vectors yet, or a paper newer than them) its own title and abstract as a
 * lexical query, itself left out.
 */
export function createEngineSimilarPapers(engine: PaperSearchEngine, findText: (arxivId: string) => Promise<{ title: string; abstract: string } | null>): SimilarPapersSource {
  return async (arxivId, limit) => {
    const nearest = await engine.similar(arxivId, limit);
    if (nearest && nearest.length > 0) return nearest;
    const paper = await findText(arxivId);
    if (!paper) return null;
    const query = `${texPlain(paper.title)} ${texPlain(paper.abstract).split(/\s+/).slice(0, 80).join(' ')}`;
    const result = await engine.search(query, { limit: limit + 1, lexicalOnly: true });
    return result.hits.map((h) => h.paper.arxivId).filter((id) => id !== arxivId).slice(0, limit);
  };
}
