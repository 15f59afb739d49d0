/**
 * The SQL fallback search behind the `SearchBackend` seam, on every dialect: AND matching with
 * an OR retry, title matches ranked first, filters, pagination, and highlight segments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { createHarness, type Harness } from '../../web/members/testing/member-harness.js';
import { seedCorpus } from '../../web/testing/reader-fixtures.js';
import { createFallbackSearchBackend, queryTerms } from './sql-search-backend.js';
import { highlightSegments, highlightSnippet } from './search-highlight.js';
import { createSearchPapers, type SearchPapers } from './search-papers.service.js';

describe('query terms and highlights', () => {
  it('folds case and accents and drops stop words', () => {
    expect(queryTerms('The Gödel  of GRAPHS, and graphs!')).toEqual(['godel', 'graphs']);
  });

  it('highlights words starting with a term, accent-insensitively', () => {
    expect(highlightSegments('Gödel numberings of graphs', ['godel', 'graph'])).toEqual([
      { type: 'highlight', text: 'Gödel' },
      { type: 'text', text: ' numberings of ' },
      { type: 'highlight', text: 'graphs' },
    ]);
    expect(highlightSegments('subgraph', ['graph'])).toEqual([{ type: 'text', text: 'subgraph' }]);
  });

  it('cuts long summaries to a window around the first match', () => {
    const text = `${'Filler words here. '.repeat(40)}The crucial graph result. ${'More words. '.repeat(40)}`;
    const segments = highlightSnippet(text, ['graph']);
    const joined = segments.map((s) => s.text).join('');
    expect(joined.length).toBeLessThanOrEqual(310);
    expect(joined.startsWith('… ')).toBe(true);
    expect(segments).toContainEqual({ type: 'highlight', text: 'graph' });
  });
});

describe.each(enabledDialects())('SQL fallback search on %s', (dialect) => {
  let h: Harness;
  let search: SearchPapers;
  beforeAll(async () => {
    h = await createHarness(dialect);
    await seedCorpus(h);
    search = createSearchPapers({ db: h.db, backend: createFallbackSearchBackend(h.db) });
  });
  afterAll(async () => {
    await h.close();
  });

  const ids = async (q: string, filters = {}, page = 0, pageSize = 20) => (await search.search({ q, filters, page, pageSize })).hits.map((x) => x.paper.arxivId);

  it('ranks title matches first and requires every term', async () => {
    const graph = await ids('graph');
    // Papers with "graph" in the title come before the one that only mentions graphs in its abstract.
    expect(new Set(graph.slice(0, 3))).toEqual(new Set(['1203.0001', '1203.0201', '1203.0102']));
    expect(graph.indexOf('1203.0101')).toBeGreaterThan(2);
    expect(await ids('graph colouring')).toEqual(['1203.0001']);
  });

  it('falls back to any term when no paper has them all', async () => {
    expect((await ids('sorting colouring')).sort()).toEqual(['1203.0001', '1203.0002']);
  });

  it('applies date, category and has-code filters and pages', async () => {
    expect((await ids('graph', { from: '2012-03-19' }))).toEqual(['1203.0201']);
    expect(await ids('ranking', { category: 'cs.IR' })).toEqual(['1203.0103']);
    expect(await ids('graph', { hasCode: true })).toEqual([]);
    const all = await search.search({ q: 'queues', filters: {}, page: 0, pageSize: 20 });
    expect(all.total).toBe(35);
    expect(all.hasMore).toBe(true);
    expect(await ids('queues', {}, 1, 20)).toHaveLength(15);
  });

  it('rejects bad queries with field names', async () => {
    await expect(search.search({ q: 'x'.repeat(300), filters: {}, page: 0, pageSize: 10 })).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'q' } });
    await expect(search.search({ q: 'graph', filters: { from: '2025-13-45' }, page: 0, pageSize: 10 })).rejects.toMatchObject({ details: { field: 'from' } });
    await expect(search.search({ q: 'graph', filters: {}, page: 0, pageSize: 500 })).rejects.toMatchObject({ details: { field: 'limit' } });
  });

  it('suggests titles for a prefix of a query', async () => {
    expect(await search.suggest('sorting', 5)).toEqual([{ arxivId: '1203.0002', title: 'Sorting networks revisited' }]);
  });
});
