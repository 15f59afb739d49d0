/**
 * Feed endpoints: `/feeds/daily.atom|rss` (a day's feed, trending; `?date=` picks the day,
 * default the latest day with papers) and `/feeds/search.atom|rss?q=` (the newest best matches
 * of a query), for feed readers. Links use the configured public URL so entry ids are stable.
 */
import { Hono, type Context } from 'hono';
import { describePeriod } from '../../domain/feed-period.js';
import { ValidationError } from '../../domain/errors.js';
import type { Services } from '../../services/services.js';
import { periodFromParams, setLastModified } from '../api/api-helpers.js';
import { parseParams, searchApiParams } from '../http/params.js';
import { atomFeed, rssFeed, type FeedDocument } from './feed-xml.js';
import { z } from 'zod';

const FEED_ITEMS = 50;
const dailyFeedParams = z.object({ date: z.string().max(16).optional() });

function send(c: Context, format: 'atom' | 'rss', doc: FeedDocument): Response {
  c.header('Cache-Control', 'public, max-age=300');
  if (format === 'atom') return c.body(atomFeed(doc), 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
  return c.body(rssFeed(doc), 200, { 'Content-Type': 'application/rss+xml; charset=utf-8' });
}

/** The feature's routes as a sub-app, mounted at the root by web-app.tsx. */
export function feedRoutes(deps: { services: Services }): Hono {
  const app = new Hono();
  const reader = deps.services.reader;
  const baseUrl = deps.services.members.web.publicUrl.replace(/\/+$/, '');

  const daily = async (c: Context, format: 'atom' | 'rss') => {
    const { date } = parseParams(dailyFeedParams, c.req.query());
    const period = await periodFromParams(reader, { date });
    const feed = await reader.feed({ period, sort: 'trending', page: 0, pageSize: FEED_ITEMS });
    setLastModified(c, feed.lastModified);
    return send(c, format, {
      title: `Paperboy daily papers: ${describePeriod(period)}`,
      description: `Papers of ${describePeriod(period)}, most upvoted first.`,
      htmlUrl: `${baseUrl}/date/${period.label}`,
      selfUrl: `${baseUrl}/feeds/daily.${format}${date ? `?date=${date}` : ''}`,
      baseUrl,
      papers: feed.items.map((i) => i.paper),
    });
  };

  const search = async (c: Context, format: 'atom' | 'rss') => {
    const { q } = parseParams(searchApiParams, c.req.query());
    if (!q) throw new ValidationError('"q" is required: the words to follow.', { field: 'q' });
    const results = await reader.search.search({ q, filters: {}, page: 0, pageSize: FEED_ITEMS });
    const encoded = encodeURIComponent(q);
    return send(c, format, {
      title: `Paperboy search: ${q}`,
      description: `Papers matching “${q}”.`,
      htmlUrl: `${baseUrl}/search?q=${encoded}`,
      selfUrl: `${baseUrl}/feeds/search.${format}?q=${encoded}`,
      baseUrl,
      papers: results.hits.map((h) => h.paper),
    });
  };

  app.get('/feeds/daily.atom', (c) => daily(c, 'atom'));
  app.get('/feeds/daily.rss', (c) => daily(c, 'rss'));
  app.get('/feeds/search.atom', (c) => search(c, 'atom'));
  app.get('/feeds/search.rss', (c) => search(c, 'rss'));
  return app;
}
