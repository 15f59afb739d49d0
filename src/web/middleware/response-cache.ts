/**
 * An in-process cache of whole answers for anonymous readers: pages, the JSON APIs and feeds are
 * the same for every visitor without a session, so a burst of identical requests costs one
 * render. Entries are keyed by the content version (the database's data version and the search
 * engine's generation): a committed paper, vote or comment, by this instance or another one,
 * makes every entry stale for the next request. `maxAgeMs` bounds what depends on the clock
 * alone ("the latest day", trending decay). Each answer carries a strong ETag, so revalidating
 * clients get a 304. Signed-in members and token-authenticated calls are never cached.
 *
 * Identical misses are coalesced: while one request renders an answer, the others asking for it
 * with the same content version wait for that render instead of each doing the same work (under
 * 200 connections, 200 renders of one page queued on the database pool until every client gave up).
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getViewer } from './session.js';

interface Entry {
  version: string;
  storedAt: number;
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  etag: string;
}

export interface ResponseCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

export interface ResponseCache {
  middleware: MiddlewareHandler;
  stats(): ResponseCacheStats;
}

export function createResponseCache(options: { version: () => Promise<string>; maxAgeMs: number; maxEntries: number; maxBytes: number; now?: () => number }): ResponseCache {
  const entries = new Map<string, Entry>();
  /** Renders under way, by key and version: the entry they stored, or null when the answer could not be kept. */
  const rendering = new Map<string, Promise<Entry | null>>();
  const now = options.now ?? Date.now;
  let bytes = 0;
  let hits = 0;
  let misses = 0;

  const remove = (key: string) => {
    const old = entries.get(key);
    if (!old) return;
    bytes -= old.body.byteLength;
    entries.delete(key);
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== 'GET' || getViewer(c) !== null || c.req.header('authorization') !== undefined) return next();
    const url = new URL(c.req.url);
    // The paper page answers HTML, Markdown or JSON depending on Accept.
    const key = `${c.req.header('accept') ?? ''}\n${url.pathname}${url.search}`;
    const version = await options.version();
    const serve = (entry: Entry) => {
      if (c.req.header('if-none-match') === entry.etag) return c.body(null, 304, { ETag: entry.etag });
      return c.body(entry.body as Uint8Array<ArrayBuffer>, entry.status as 200, Object.fromEntries([...entry.headers, ['ETag', entry.etag]]));
    };
    const hit = entries.get(key);
    if (hit && hit.version === version && now() - hit.storedAt < options.maxAgeMs) {
      hits++;
      // Most recently used last, so eviction takes the coldest first.
      entries.delete(key);
      entries.set(key, hit);
      return serve(hit);
    }
    const flightKey = `${version}\n${key}`;
    const underway = rendering.get(flightKey);
    if (underway) {
      const entry = await underway;
      if (entry) {
        hits++;
        return serve(entry);
      }
    }
    misses++;
    let settle!: (entry: Entry | null) => void;
    if (!underway) {
      rendering.set(flightKey, new Promise<Entry | null>((resolve) => (settle = resolve)));
    } else settle = () => undefined;
    let entry: Entry | null = null;
    try {
      await next();
      entry = await store(c.res, key, version);
    } finally {
      settle(entry);
      if (!underway) rendering.delete(flightKey);
    }
    if (entry) {
      c.res.headers.set('ETag', entry.etag);
      if (c.res.status === 200 && c.req.header('if-none-match') === entry.etag) c.res = new Response(null, { status: 304, headers: { ETag: entry.etag } });
    }
  };

  /** Keeps `res` under `key` when it can be shared; returns the entry, or null. */
  const store = async (res: Response, key: string, version: string): Promise<Entry | null> => {
    // Whole successful answers and 404s only; anything that set a cookie is personal.
    if ((res.status !== 200 && res.status !== 404) || res.headers.has('set-cookie') || !res.body) return null;
    // Pages revalidate every time (a vote shows on the next request); routes may say otherwise.
    if (!res.headers.has('cache-control')) res.headers.set('Cache-Control', 'no-cache');
    const body = new Uint8Array(await res.clone().arrayBuffer());
    const etag = res.headers.get('etag') ?? `"${createHash('sha1').update(body).digest('base64url')}"`;
    remove(key);
    const entry: Entry = { version, storedAt: now(), status: res.status, headers: [...res.headers.entries()].filter(([name]) => name !== 'etag'), body, etag };
    if (body.byteLength > options.maxBytes / 16) return entry;
    while (entries.size >= options.maxEntries || (entries.size > 0 && bytes + body.byteLength > options.maxBytes)) remove(entries.keys().next().value as string);
    entries.set(key, entry);
    bytes += body.byteLength;
    return entry;
  };

  return { middleware, stats: () => ({ hits, misses, entries: entries.size, bytes }) };
}
