/**
 * Paperboy's own JSON endpoints under `/api/v1/`: richer than the Hugging Face-compatible ones
 * (filters, pagination metadata, similar papers, the chart data, suggestions, stats). Field
 * names are camelCase, timestamps ISO 8601 ending in `Z`, errors `{ error: { code, message } }`.
 */
import { Hono } from 'hono';
import { ValidationError } from '../../domain/errors.js';
import type { FeedPeriod } from '../../domain/feed-period.js';
import type { FeedItem, FeedPaper } from '../../services/reader/feed.types.js';
import type { Services } from '../../services/services.js';
import { parseParams, suggestParams, v1SearchParams } from '../http/params.js';
import { parsePaperPath } from '../http/paper-path.js';
import { isoInstant, paperLinks } from '../presenters/paper.presenter.js';
import { periodFromParams, setApiCaching, setLastModified, setNextLink } from './api-helpers.js';
import { z } from 'zod';

const v1FeedParams = z.object({
  date: z.string().optional(),
  week: z.string().optional(),
  month: z.string().optional(),
  sort: z.enum(['trending', 'newest']).optional().transform((v) => v ?? 'trending'),
  page: z.string().regex(/^\d{1,5}$/, 'must be a non-negative integer').optional().transform((v) => Number(v ?? 0)),
  limit: z.string().regex(/^\d{1,3}$/, 'must be an integer from 1 to 100').optional().transform((v) => Number(v ?? 30)).pipe(z.number().min(1, 'must be at least 1').max(100, 'must be at most 100')),
  category: z.string().max(20).regex(/^[a-z-]+(\.[A-Za-z-]+)?$/, 'is not an arXiv category').optional(),
  has_code: z.enum(['1', 'true', '0', 'false', '']).optional().transform((v) => v === '1' || v === 'true'),
});

function presentPaper(p: FeedPaper) {
  return {
    arxivId: p.arxivId,
    latestVersion: p.latestVersion,
    // arXiv wraps titles at ~80 columns; the line breaks are not part of the title.
    title: p.title.replace(/\s+/g, ' ').trim(),
    abstract: p.abstract,
    authors: p.authors.map((a) => a.name),
    categories: p.categories,
    primaryCategory: p.primaryCategory,
    publishedAt: isoInstant(p.publishedAt),
    updatedAt: isoInstant(p.updatedAt),
    doi: p.doi,
    journalRef: p.journalRef,
    comments: p.comments,
    license: p.license,
    versions: p.versions.map((v) => ({ version: v.version, submittedAt: isoInstant(v.submittedAt) })),
    links: { ...paperLinks(p), page: `/papers/${p.arxivId}` },
  };
}

function presentFeedItem(i: FeedItem) {
  return { paper: presentPaper(i.paper), upvotes: i.upvotes, comments: i.comments, enteredAt: isoInstant(i.enteredAt), submittedBy: i.entry?.submitter?.handle ?? null };
}

const presentPeriod = (p: FeedPeriod | null) => (p ? { kind: p.kind, label: p.label, from: p.from, to: p.to } : null);

/** The feature's routes as a sub-app, mounted at the root by web-app.tsx. */
export function v1Api(deps: { services: Services }): Hono {
  const app = new Hono();
  const reader = deps.services.reader;

  app.get('/api/v1/feed', async (c) => {
    const params = parseParams(v1FeedParams, c.req.query());
    const period = await periodFromParams(reader, params);
    const feed = await reader.feed({ period, sort: params.sort, page: params.page, pageSize: params.limit, ...(params.category ? { category: params.category } : {}), ...(params.has_code ? { withCode: true } : {}) });
    if (feed.hasMore) setNextLink(c, 'page', params.page);
    setLastModified(c, feed.lastModified);
    setApiCaching(c);
    return c.json({
      period: presentPeriod(feed.query.period),
      sort: feed.query.sort,
      page: feed.query.page,
      limit: feed.query.pageSize,
      total: feed.total,
      hasMore: feed.hasMore,
      source: feed.source,
      previous: presentPeriod(feed.previous),
      next: presentPeriod(feed.next),
      papersPerDay: feed.chart.days,
      items: feed.items.map(presentFeedItem),
    });
  });

  app.get('/api/v1/search', async (c) => {
    const params = parseParams(v1SearchParams, c.req.query());
    if (!params.q) throw new ValidationError('"q" is required.', { field: 'q' });
    const results = await reader.search.search({
      q: params.q,
      filters: { ...(params.from ? { from: params.from } : {}), ...(params.to ? { to: params.to } : {}), ...(params.category ? { category: params.category } : {}), ...(params.has_code ? { hasCode: true } : {}) },
      page: params.page,
      pageSize: params.limit,
      expand: params.expand,
    });
    if (results.hasMore) setNextLink(c, 'page', params.page);
    setApiCaching(c);
    return c.json({
      query: params.q,
      engine: results.engine,
      expand: results.expand,
      alsoMatching: results.related,
      page: params.page,
      limit: params.limit,
      total: results.total,
      totalIsLowerBound: results.totalIsLowerBound,
      hasMore: results.hasMore,
      items: results.hits.map((h) => ({ paper: presentPaper(h.paper), score: h.score, matchedBy: h.byMeaning ? 'meaning' : 'words', upvotes: h.upvotes, comments: h.comments, highlightedTitle: h.highlightedTitle, highlightedSummary: h.highlightedSummary })),
    });
  });

  app.get('/api/v1/suggest', async (c) => {
    const { q } = parseParams(suggestParams, c.req.query());
    c.header('Cache-Control', 'public, max-age=300');
    const found = await reader.search.suggest(q, 6);
    return c.json({ query: q, suggestions: found.papers, completions: found.completions });
  });

  app.get('/api/v1/stats', async (c) => {
    const today = reader.today();
    const [papers, latestDay] = await Promise.all([deps.services.countPapers(), reader.latestFeedDay(today)]);
    setApiCaching(c);
    return c.json({ papers, latestDay, today });
  });

  app.get('/api/v1/papers/:rest{.+}', async (c) => {
    const { id, bibtex, markdown } = parsePaperPath(c.req.param('rest'));
    if (bibtex || markdown) throw new ValidationError('The API serves JSON; BibTeX is at /papers/{id}.bib and Markdown at /papers/{id}.md.', { field: 'arxivId' });
    const page = await reader.paperPage(id);
    setLastModified(c, page.paper.modifiedAt);
    setApiCaching(c);
    return c.json({
      paper: presentPaper(page.paper),
      upvotes: page.upvotes,
      comments: page.comments,
      feedEntry: page.entry ? { day: page.entry.day, submittedAt: isoInstant(page.entry.submittedAt), submittedBy: page.entry.submitter?.handle ?? null } : null,
      similar: { basis: page.similar.basis, category: page.similar.category, papers: page.similar.papers.map((p) => ({ arxivId: p.arxivId, title: p.title, publishedAt: isoInstant(p.publishedAt) })) },
      bibtex: page.bibtex,
    });
  });
  return app;
}
