/**
 * Pieces the JSON API routes share: choosing the feed period from `date`/`week`/`month`
 * (at most one; none means the latest day with papers), the RFC 8288 `Link: rel="next"`
 * header, and Last-Modified from the papers in an answer.
 */
import type { Context } from 'hono';
import { dayPeriod, parsePeriod, type FeedPeriod } from '../../domain/feed-period.js';
import { ValidationError } from '../../domain/errors.js';
import type { ReaderServices } from '../../services/reader/reader.services.js';

export async function periodFromParams(reader: ReaderServices, params: { date?: string | undefined; week?: string | undefined; month?: string | undefined }): Promise<FeedPeriod> {
  const given = (['date', 'week', 'month'] as const).filter((k) => params[k] !== undefined && params[k] !== '');
  if (given.length > 1) throw new ValidationError(`Give at most one of "date", "week" and "month" (got ${given.join(', ')}).`, { field: given[1] });
  const key = given[0];
  if (key === 'date') return parsePeriod('day', params.date!, 'date');
  if (key === 'week') return parsePeriod('week', params.week!, 'week');
  if (key === 'month') return parsePeriod('month', params.month!, 'month');
  const today = reader.today();
  return dayPeriod((await reader.latestFeedDay(today)) ?? today);
}

/** Sets `Link: <same URL with page+1>; rel="next"` (absolute, as RFC 8288 clients expect). */
export function setNextLink(c: Context, pageParam: string, page: number): void {
  const url = new URL(c.req.url);
  url.searchParams.set(pageParam, String(page + 1));
  c.header('Link', `<${url.toString()}>; rel="next"`);
}

/** Sets `Link: <same URL with cursor=next>; rel="next"`, for cursor-paged lists. */
export function setNextCursorLink(c: Context, cursor: string): void {
  const url = new URL(c.req.url);
  url.searchParams.set('cursor', cursor);
  c.header('Link', `<${url.toString()}>; rel="next"`);
}

/** The latest of some ISO timestamps (they compare as strings), or null for none. */
export function latestModified(isos: readonly string[]): string | null {
  let latest: string | null = null;
  for (const iso of isos) if (latest === null || iso > latest) latest = iso;
  return latest;
}

export function setLastModified(c: Context, iso: string | null): void {
  if (!iso) return;
  const t = new Date(iso);
  if (!Number.isNaN(t.getTime())) c.header('Last-Modified', t.toUTCString());
}

/**
 * Public JSON that shared caches may keep but must revalidate (ETag) before each use: a vote or
 * a new paper shows on the next request, and an unchanged answer costs a 304.
 */
export function setApiCaching(c: Context): void {
  c.header('Cache-Control', 'public, no-cache');
}
