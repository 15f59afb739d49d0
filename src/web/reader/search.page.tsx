/**
 * The search page: a plain GET form (query, date range, category, has code) that works without
 * JavaScript, results with highlighted titles and snippets, and pagination by links. The
 * search box in the header gets suggestions from /assets/search.js when scripts run.
 */
import type { Viewer } from '../../domain/member.js';
import type { PaperSignals } from '../../services/members/member-profile.service.js';
import type { SearchQuery, SearchResults } from '../../services/reader/search-papers.service.js';
import { PaperCard } from '../components/paper-card.js';
import { MemberBar } from '../members/member-ui.js';
import { DigestSignup } from '../digest/digest.pages.js';
import { Layout } from '../layout/layout.js';

export function searchPath(query: SearchQuery, page: number): string {
  const p = new URLSearchParams({ q: query.q });
  if (query.filters.from) p.set('from', query.filters.from);
  if (query.filters.to) p.set('to', query.filters.to);
  if (query.filters.category) p.set('category', query.filters.category);
  if (query.filters.hasCode) p.set('has_code', '1');
  if (query.expand === false) p.set('expand', '0');
  // Pages are numbered from 1 in URLs, as on the page; `page` here is the 0-based index.
  if (page > 0) p.set('page', String(page + 1));
  return `/search?${p.toString()}`;
}

export function SearchPage(props: { query: SearchQuery; results: SearchResults | null; viewer: Viewer | null; signals: Map<string, PaperSignals> | null; error?: string }) {
  const { query, results } = props;
  const csrf = props.viewer?.csrfToken ?? null;
  const pageCount = results ? Math.max(1, Math.ceil(results.total / query.pageSize)) : 1;
  const title = query.q ? `“${query.q.slice(0, 80)}” · Search · Paperboy` : 'Search · Paperboy';
  return (
    <Layout account={<MemberBar viewer={props.viewer} csrf={csrf} currentPath="/search" />} title={title} query={query.q} head={query.q ? <link rel="alternate" type="application/atom+xml" title="This search (Atom)" href={`/feeds/search.atom?q=${encodeURIComponent(query.q)}`} /> : undefined}>
      <h1>Search papers</h1>
      <form method="get" action="/search" class="filters" aria-label="Search and filters">
        <label>
          Words
          <input type="search" name="q" value={query.q} maxlength={250} required />
        </label>
        <label>
          From
          <input type="date" name="from" value={query.filters.from ?? ''} />
        </label>
        <label>
          To
          <input type="date" name="to" value={query.filters.to ?? ''} />
        </label>
        <label>
          Category
          <input type="search" name="category" value={query.filters.category ?? ''} placeholder="e.g. cs.LG" maxlength={20} size={10} />
        </label>
        <label class="check">
          <input type="checkbox" name="has_code" value="1" checked={query.filters.hasCode ?? false} />
          Has code
        </label>
        <label class="check" title="Leave out papers found by meaning and the related words">
          <input type="checkbox" name="expand" value="0" checked={query.expand === false} />
          Only my words
        </label>
        <button type="submit">Search</button>
      </form>
      {props.error ? (
        <p class="notice" role="alert">
          {props.error}
        </p>
      ) : null}
      {results ? (
        <>
          <p class="meta" role="status">
            {results.totalIsLowerBound ? `${results.total}+ results` : `${results.total} ${results.total === 1 ? 'result' : 'results'}`} for “{query.q}”
            {results.total > 0 ? ` · page ${query.page + 1} of ${pageCount}` : ''}
            {results.totalIsLowerBound ? ` (the best ${results.total} are listed; add words to narrow it down)` : ''} · <a href={`/feeds/search.atom?q=${encodeURIComponent(query.q)}`}>follow this search (Atom)</a>
          </p>
          {results.related.length > 0 ? (
            <p class="meta related">
              Also matching by meaning: {results.related.map((w, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <strong>{w}</strong>
                </>
              ))}{' '}
              · <a href={searchPath({ ...query, expand: false }, 0)}>search only my words</a>
            </p>
          ) : query.expand === false ? (
            <p class="meta related">
              Only papers with your words. <a href={searchPath({ ...query, expand: true }, 0)}>Search by meaning too</a>
            </p>
          ) : null}
          {results.hits.length === 0 ? (
            <p class="notice">No papers match. Try fewer or different words, or widen the dates.</p>
          ) : (
            <ol class="cards" start={query.page * query.pageSize + 1}>
              {results.hits.map((h) => {
                const s = props.signals?.get(h.paper.arxivId);
                return (
                  <PaperCard
                    paper={h.paper}
                    signals={{ upvotes: s?.upvotes ?? h.upvotes, comments: h.comments, upvoted: s?.upvoted ?? false }}
                    csrf={csrf}
                    highlightedTitle={h.highlightedTitle}
                    highlightedSummary={h.highlightedSummary}
                    {...(h.byMeaning ? { note: 'found by meaning: none of your words' } : {})}
                  />
                );
              })}
            </ol>
          )}
          {pageCount > 1 ? (
            <nav class="pager" aria-label="Result pages">
              {query.page > 0 ? (
                <a href={searchPath(query, query.page - 1)} rel="prev">
                  ← Previous page
                </a>
              ) : (
                <span />
              )}
              <span class="page-numbers">
                {Array.from({ length: pageCount }, (_, i) =>
                  i === query.page ? (
                    <span aria-current="page">{i + 1}</span>
                  ) : (
                    <a href={searchPath(query, i)} aria-label={`Page ${i + 1}`}>
                      {i + 1}
                    </a>
                  ),
                )}
              </span>
              {results.hasMore ? (
                <a href={searchPath(query, query.page + 1)} rel="next">
                  Next page →
                </a>
              ) : (
                <span />
              )}
            </nav>
          ) : null}
          <p class="meta">Ranked by {results.engine === 'sql-fallback' ? 'a simple term-matching fallback (the full search engine is on its way)' : results.engine === 'paperboy-hybrid' ? 'words and meaning (paperboy-hybrid)' : results.engine}.</p>
        </>
      ) : (
        <p class="muted">Type some words: a topic, a method, an author.</p>
      )}
      {/* A saved search as a topic digest: new papers matching the query, by email. */}
      {results && query.q ? <DigestSignup summary={`Get new papers matching “${query.q}” by email`} csrf={csrf} values={{ list: 'topic', topic: query.q.slice(0, 200) }} member={props.viewer ? { email: props.viewer.user.email } : null} /> : null}
    </Layout>
  );
}
