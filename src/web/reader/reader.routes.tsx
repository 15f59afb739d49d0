/**
 * Reader pages: the daily feed (`/`, `/date/..`, `/week/..`, `/month/..`), paper pages
 * (`/papers/{id}`, with `vN` and old-style `math/0611918` ids, `.bib` for BibTeX) and search.
 * Handlers stay thin: parse the request, call `services.reader`, render a page.
 */
import { Hono, type Context } from 'hono';
import { dayPeriod, parsePeriod, type FeedPeriod, type PeriodKind } from '../../domain/feed-period.js';
import { httpStatusOf } from '../../domain/error-catalogue.js';
import { ValidationError } from '../../domain/errors.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services/services.js';
import { SEARCH_SCRIPT } from '../assets/search.script.js';
import { feedPageParams, parseParams, searchPageIndex, searchPageParams } from '../http/params.js';
import { parsePaperPath } from '../http/paper-path.js';
import { paperMarkdown } from '../presenters/paper-markdown.presenter.js';
import { getViewer } from '../middleware/session.js';
import { FeedPage } from './feed.page.js';
import { PaperPage } from './paper.page.js';
import { SearchPage } from './search.page.js';

export const FEED_PAGE_SIZE = 30;
export const SEARCH_PAGE_SIZE = 20;

/** The feature's routes as a sub-app, mounted at the root by web-app.tsx. */
export function readerRoutes(deps: { services: Services; logger: Logger }): Hono {
  const app = new Hono();
  const reader = deps.services.reader;
  const members = deps.services.members;

  async function viewerSignals(c: Context, ids: string[]) {
    const viewer = getViewer(c);
    return viewer && ids.length > 0 ? members.paperSignals(ids, viewer.user) : null;
  }

  async function renderFeed(c: Context, period: FeedPeriod, basePath: string, fellBackFrom: string | null = null, emptyDatabase = false) {
    const params = parseParams(feedPageParams, c.req.query());
    const feed = await reader.feed({ period, sort: params.sort, page: params.page, pageSize: FEED_PAGE_SIZE, ...(params.category ? { category: params.category } : {}), ...(params.code ? { withCode: true } : {}) });
    const signals = await viewerSignals(c, feed.items.map((i) => i.paper.arxivId));
    return c.html(<FeedPage feed={feed} viewer={getViewer(c)} signals={signals} basePath={basePath} fellBackFrom={fellBackFrom} emptyDatabase={emptyDatabase} />);
  }

  app.get('/assets/search.js', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(SEARCH_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  app.get('/opensearch.xml', (c) => {
    const origin = new URL(c.req.url).origin;
    return c.body(
      `<?xml version="1.0" encoding="UTF-8"?>\n<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/"><ShortName>Paperboy</ShortName><Description>Search papers on Paperboy</Description><InputEncoding>UTF-8</InputEncoding><Url type="text/html" template="${origin}/search?q={searchTerms}"/></OpenSearchDescription>`,
      200,
      { 'Content-Type': 'application/opensearchdescription+xml; charset=utf-8' },
    );
  });

  app.get('/', async (c) => {
    const today = reader.today();
    const latest = await reader.latestFeedDay(today);
    if (latest === null) return renderFeed(c, dayPeriod(today), '/', null, true);
    return renderFeed(c, dayPeriod(latest), '/', latest === today ? null : today);
  });

  for (const [prefix, kind] of [['/date', 'day'], ['/week', 'week'], ['/month', 'month']] as [string, PeriodKind][]) {
    app.get(`${prefix}/:label`, async (c) => {
      const label = c.req.param('label');
      return renderFeed(c, parsePeriod(kind, label), `${prefix}/${label}`);
    });
  }

  app.get('/papers/:rest{.+}', async (c) => {
    const { id, version, bibtex, markdown } = parsePaperPath(c.req.param('rest'));
    const data = await reader.paperPage(id);
    if (bibtex) {
      return c.body(data.bibtex, 200, { 'Content-Type': 'application/x-bibtex; charset=utf-8', 'Content-Disposition': `attachment; filename="${id.replace('/', '-')}.bib"` });
    }
    // `.md`, or a client whose first choice is Markdown (`hf papers read`, LLM tools).
    if (markdown || (c.req.header('accept') ?? '').split(',')[0]!.trim().startsWith('text/markdown')) {
      return c.body(paperMarkdown(data, await members.commentThread(id)), 200, { 'Content-Type': 'text/markdown; charset=utf-8', Vary: 'Accept' });
    }
    const signals = await viewerSignals(c, [id]);
    c.header('Vary', 'Accept');
    return c.html(<PaperPage data={data} viewer={getViewer(c)} upvoted={signals?.get(id)?.upvoted ?? false} requestedVersion={version} />);
  });

  app.get('/search', async (c) => {
    const viewer = getViewer(c);
    let params;
    try {
      params = parseParams(searchPageParams, c.req.query());
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // Re-show the form with the message instead of a bare error page.
      const q = (c.req.query('q') ?? '').slice(0, 250);
      return c.html(<SearchPage query={{ q, filters: {}, page: 0, pageSize: SEARCH_PAGE_SIZE }} results={null} viewer={viewer} signals={null} error={error.message} />, httpStatusOf(error.code));
    }
    const query = {
      q: params.q,
      filters: { ...(params.from ? { from: params.from } : {}), ...(params.to ? { to: params.to } : {}), ...(params.category ? { category: params.category } : {}), ...(params.has_code ? { hasCode: true } : {}) },
      page: searchPageIndex(params.page),
      pageSize: SEARCH_PAGE_SIZE,
      expand: params.expand,
    };
    if (!query.q) return c.html(<SearchPage query={query} results={null} viewer={viewer} signals={null} />);
    try {
      const results = await reader.search.search(query);
      const signals = await viewerSignals(c, results.hits.map((h) => h.paper.arxivId));
      return c.html(<SearchPage query={query} results={results} viewer={viewer} signals={signals} />);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return c.html(<SearchPage query={query} results={null} viewer={viewer} signals={null} error={error.message} />, httpStatusOf(error.code));
    }
  });
  return app;
}
