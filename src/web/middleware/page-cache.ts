/**
 * A short-lived in-process cache of rendered pages for anonymous readers. Feed, paper and
 * search pages are the same for every visitor without a session and change only when papers
 * or votes do, so a few seconds of reuse turns a burst of identical requests into one render.
 * Signed-in members always get a fresh page (their upvote state and CSRF token differ). Each
 * cached page carries a strong ETag, so revalidating browsers get a 304.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getViewer } from './session.js';

interface Entry {
  body: string;
  status: number;
  contentType: string;
  etag: string;
  expires: number;
}

export function pageCache(options: { ttlMs: number; maxEntries: number; now?: () => number }): MiddlewareHandler {
  const entries = new Map<string, Entry>();
  const now = options.now ?? Date.now;
  return async (c, next) => {
    if (c.req.method !== 'GET' || getViewer(c) !== null) return next();
    const url = new URL(c.req.url);
    const key = `${url.pathname}${url.search}`;
    const hit = entries.get(key);
    if (hit && hit.expires > now()) {
      c.header('ETag', hit.etag);
      c.header('Cache-Control', 'no-cache');
      if (c.req.header('if-none-match') === hit.etag) return c.body(null, 304);
      return c.body(hit.body, hit.status as 200, { 'Content-Type': hit.contentType });
    }
    await next();
    const res = c.res;
    const contentType = res.headers.get('content-type') ?? '';
    // Only whole successful pages and 404s are worth keeping; anything that set a cookie is personal.
    if ((res.status !== 200 && res.status !== 404) || !contentType.startsWith('text/html') || res.headers.has('set-cookie')) return;
    const body = await res.clone().text();
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    if (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value as string);
    entries.set(key, { body, status: res.status, contentType, etag, expires: now() + options.ttlMs });
    c.res.headers.set('ETag', etag);
    c.res.headers.set('Cache-Control', 'no-cache');
  };
}
