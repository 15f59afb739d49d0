/**
 * The Hugging Face Papers-compatible endpoints: `GET /api/daily_papers`, `GET /api/papers` (every
 * paper, newest first, cursor-paged), `GET /api/papers/search` and `GET /api/papers/{id}`. Same parameters, same field names and limits as the public API,
 * so its clients work by changing the base URL. See presenters/hf.presenter.ts for the shapes.
 */
import { Hono } from 'hono';
import { ValidationError } from '../../domain/errors.js';
import type { Services } from '../../services/services.js';
import { dailyPapersParams, paperListParams, parseParams, searchApiParams } from '../http/params.js';
import { presentHfFeedItem, presentHfPaperInfo, presentHfSearchItem } from '../presenters/hf.presenter.js';
import { parsePaperPath } from '../http/paper-path.js';
import { latestModified, periodFromParams, setApiCaching, setLastModified, setNextCursorLink, setNextLink } from './api-helpers.js';

/** The feature's routes as a sub-app, mounted at the root by web-app.tsx. */
export function hfApi(deps: { services: Services }): Hono {
  const app = new Hono();
  const reader = deps.services.reader;

  app.get('/api/daily_papers', async (c) => {
    const params = parseParams(dailyPapersParams, c.req.query());
    const period = await periodFromParams(reader, params);
    const feed = await reader.feed({
      period,
      sort: params.sort === 'trending' ? 'trending' : 'newest',
      page: params.p,
      pageSize: params.limit,
      ...(params.submitter ? { submitter: params.submitter.toLowerCase() } : {}),
    });
    if (feed.hasMore) setNextLink(c, 'p', params.p);
    setLastModified(c, feed.lastModified);
    setApiCaching(c);
    return c.json(feed.items.map(presentHfFeedItem));
  });

  app.get('/api/papers', async (c) => {
    const params = parseParams(paperListParams, c.req.query());
    const page = await reader.listPapers({ cursor: params.cursor, limit: params.limit });
    if (page.nextCursor) setNextCursorLink(c, page.nextCursor);
    setLastModified(c, latestModified(page.items.map((i) => i.paper.modifiedAt)));
    setApiCaching(c);
    return c.json(page.items.map((i) => presentHfPaperInfo(i.paper, i)));
  });

  app.get('/api/papers/search', async (c) => {
    const params = parseParams(searchApiParams, c.req.query());
    // `list_papers()` without a query sends no `q`: it gets the newest papers, as on Hugging Face.
    if (params.q === '') {
      const page = await reader.listPapers({ limit: params.limit });
      setApiCaching(c);
      return c.json(page.items.map(presentHfFeedItem));
    }
    const results = await reader.search.search({ q: params.q, filters: {}, page: 0, pageSize: params.limit });
    setApiCaching(c);
    return c.json(results.hits.map(presentHfSearchItem));
  });

  app.get('/api/papers/:rest{.+}', async (c) => {
    const { id, bibtex, markdown } = parsePaperPath(c.req.param('rest'));
    if (bibtex || markdown) throw new ValidationError('The API serves JSON; BibTeX is at /papers/{id}.bib and Markdown at /papers/{id}.md.', { field: 'arxivId' });
    const page = await reader.paperPage(id);
    setLastModified(c, page.paper.modifiedAt);
    setApiCaching(c);
    return c.json(presentHfPaperInfo(page.paper, page));
  });
  return app;
}
