/**
 * "For you" for signed-in members: the page (`/for-you`, last 7 or 30 days) and its JSON twin
 * (`/api/v1/for-you`, authenticated by the session cookie like the member routes). Anonymous
 * browsers are sent to sign-in; anonymous API calls get a 401. Both are personal, so never cached.
 * The period ends on the most recent day with papers, so an instance fed from an old snapshot
 * still has something to rank.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import { addDays } from '../../domain/civil-date.js';
import type { Logger } from '../../logger.js';
import type { ForYouResult } from '../../services/for-you/recommendation.service.js';
import type { Services } from '../../services/services.js';
import { parseParams } from '../http/params.js';
import { getViewer } from '../middleware/session.js';
import { ForYouPage, type ForYouSpan } from './for-you.page.js';
import { isoInstant, paperLinks } from '../presenters/paper.presenter.js';

const PAGE_SIZE = 30;
const SPAN_DAYS: Record<ForYouSpan, number> = { week: 7, month: 30 };

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date');
const apiParams = z.object({
  since: date.optional(),
  until: date.optional(),
  period: z.enum(['week', 'month']).optional(),
  limit: z.string().regex(/^\d{1,3}$/, 'must be an integer from 1 to 100').optional().transform((v) => Number(v ?? PAGE_SIZE)).pipe(z.number().min(1, 'must be at least 1').max(100, 'must be at most 100')),
});

function noStore(c: Context): void {
  c.header('Cache-Control', 'private, no-store');
}

/** The feature's routes as a sub-app, mounted at the root by web-app.tsx. */
export function forYouRoutes(deps: { services: Services; logger: Logger }): Hono {
  const app = new Hono();
  const { reader, recommendations, members } = deps.services;

  /** The last `days` days up to the latest day with papers (or today when there are none). */
  async function recentWindow(days: number): Promise<{ since: string; until: string }> {
    const today = reader.today();
    const until = (await reader.latestFeedDay(today)) ?? today;
    return { since: addDays(until, -(days - 1)), until };
  }

  app.get('/for-you', async (c) => {
    const viewer = getViewer(c);
    if (!viewer) return c.redirect(`/signin?next=${encodeURIComponent('/for-you')}`, 303);
    noStore(c);
    const span: ForYouSpan = c.req.query('period') === 'month' ? 'month' : 'week';
    const result = await recommendations.forYou(viewer.user.id, { ...(await recentWindow(SPAN_DAYS[span])), limit: PAGE_SIZE });
    const ids = result.items.map((i) => i.paper.arxivId);
    const signals = ids.length > 0 ? await members.paperSignals(ids, viewer.user) : null;
    return c.html(<ForYouPage result={result} span={span} viewer={viewer} signals={signals} />);
  });

  app.get('/api/v1/for-you', async (c) => {
    noStore(c);
    const viewer = getViewer(c);
    if (!viewer) throw new AppError('unauthorized', 'Sign in to get papers picked for you.');
    const params = parseParams(apiParams, c.req.query());
    const recent = await recentWindow(SPAN_DAYS[params.period ?? 'week']);
    const until = params.until ?? recent.until;
    const since = params.since ?? (params.until ? addDays(until, -(SPAN_DAYS[params.period ?? 'week'] - 1)) : recent.since);
    const result: ForYouResult = await recommendations.forYou(viewer.user.id, { since, until, limit: params.limit });
    const counts = result.items.length > 0 ? await members.paperSignals(result.items.map((i) => i.paper.arxivId), viewer.user) : new Map();
    return c.json({
      status: result.status,
      since: result.window.since,
      until: result.window.until,
      positives: result.positives,
      candidates: result.candidates,
      ...(result.status === 'no_positives' ? { message: 'Upvote or save a few papers, and this list will rank new papers by them.' } : {}),
      items: result.items.map((i) => ({
        score: Math.round(i.score * 10_000) / 10_000,
        upvotes: counts.get(i.paper.arxivId)?.upvotes ?? 0,
        comments: counts.get(i.paper.arxivId)?.comments ?? 0,
        paper: {
          arxivId: i.paper.arxivId,
          title: i.paper.title,
          abstract: i.paper.abstract,
          authors: i.paper.authors.map((a) => a.name),
          categories: i.paper.categories,
          publishedAt: isoInstant(i.paper.publishedAt),
          links: { ...paperLinks(i.paper), page: `/papers/${i.paper.arxivId}` },
        },
      })),
    });
  });
  return app;
}
