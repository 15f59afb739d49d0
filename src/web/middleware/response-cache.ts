/**
 * An in-process cache of whole answers for anonymous readers: pages, the JSON APIs and feeds are
 * the same for every visitor without a session, so a burst of identical requests costs one
 * render. Entries are keyed by the content version (the database's data version and the search
 * engine's generation): a committed paper, vote or comment, by this instance or another one,
 * makes every entry stale for the next request, or, with `settleMs`, for the first request once
 * the entry is that old: a stream of votes then costs one render per page per window, not one
 * per vote (each render would otherwise serve only the requests until the next vote). In that
 * mode the old answer also stands in while its successor renders, and when the render is turned
 * away with a 503 (overload), so a reader waits for neither. `maxAgeMs` bounds what depends on
 * the clock alone ("the latest day", trending decay). Each answer carries a strong ETag, so revalidating
 * clients get a 304. Signed-in members and token-authenticated calls are never cached.
 *
 * Answers go out gzipped to clients that accept it (browsers, `requests`, curl --compressed), each
 * entry compressed once on the first such request: copying bytes, not rendering, is what a
 * cached answer costs, and JSON and HTML shrink several times.
 *
 * Identical misses are coalesced: while one request renders an answer, the others asking for it
 * with the same content version wait for that render instead of each doing the same work (under
 * 200 connections, 200 renders of one page queued on the database pool until every client gave up).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { getViewer } from './session.js';

interface Entry {
  version: string;
  storedAt: number;
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  etag: string;
  /** The body gzipped, made on the first request that accepts it (null: not worth compressing). */
  gzipped?: Uint8Array | null;
}

/** Headers that describe one body, never copied from another response onto an answer. */
const HEADERS_OF_THE_BODY = new Set(['content-length', 'content-type', 'content-encoding', 'etag', 'set-cookie']);

/** Bodies smaller than this go out as they are (the gzip header and a round trip cost more). */
const MIN_GZIP_BYTES = 1024;

function acceptsGzip(c: Context): boolean {
  const accepted = c.req.header('accept-encoding');
  return accepted !== undefined && /\bgzip\b(?!;\s*q=0(\.0*)?(\s|,|$))/i.test(accepted);
}

function compressible(entry: Entry): boolean {
  if (entry.body.byteLength < MIN_GZIP_BYTES) return false;
  const type = entry.headers.find(([name]) => name === 'content-type')?.[1] ?? '';
  return /^text\/|json|xml|javascript/.test(type);
}

/** The entry as an answer to this request: gzipped when the client takes it, 304 when its copy is current. */
function answer(c: Context, entry: Entry): Response {
  const headers = new Headers(entry.headers);
  let body = entry.body;
  let etag = entry.etag;
  if (compressible(entry)) {
    headers.append('Vary', 'Accept-Encoding');
    if (acceptsGzip(c)) {
      if (entry.gzipped === undefined) {
        // Level 1: a third of the default's CPU for ~15% more bytes; on two cores the CPU is scarcer.
        const gzipped = gzipSync(entry.body, { level: 1 });
        entry.gzipped = gzipped.byteLength < entry.body.byteLength ? new Uint8Array(gzipped.buffer, gzipped.byteOffset, gzipped.byteLength) : null;
      }
      if (entry.gzipped) {
        body = entry.gzipped;
        // A strong validator names one representation: the gzipped bytes get their own.
        etag = `${entry.etag.slice(0, -1)}-gzip"`;
        headers.set('Content-Encoding', 'gzip');
      }
    }
  }
  headers.set('ETag', etag);
  if (c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers: { ETag: etag, Vary: headers.get('vary') ?? '' } });
  headers.delete('content-length');
  return new Response(body as Uint8Array<ArrayBuffer>, { status: entry.status, headers });
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

export function createResponseCache(options: {
  version: () => Promise<string>;
  maxAgeMs: number;
  /** An entry younger than this is served even when the content version moved on (0: never). */
  settleMs?: number;
  maxEntries: number;
  maxBytes: number;
  now?: () => number;
}): ResponseCache {
  const settleMs = options.settleMs ?? 0;
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
    bytes -= old.body.byteLength + (old.gzipped?.byteLength ?? 0);
    entries.delete(key);
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== 'GET' || getViewer(c) !== null || c.req.header('authorization') !== undefined) return next();
    const url = new URL(c.req.url);
    // The paper page answers HTML, Markdown or JSON depending on Accept.
    const key = `${c.req.header('accept') ?? ''}\n${url.pathname}${url.search}`;
    const version = await options.version();
    const serve = (entry: Entry) => {
      const compressedBefore = entry.gzipped;
      const res = answer(c, entry);
      // The gzipped copy made just now counts against maxBytes like the body (if the entry is kept).
      if (compressedBefore === undefined && entry.gzipped && entries.get(key) === entry) bytes += entry.gzipped.byteLength;
      // What middleware set for this request (security headers, RateLimit-Remaining) wins over
      // what was stored with the entry, but not Hono's own merge, which would let the render's
      // ETag and Vary overwrite the answer's.
      for (const [name, value] of c.res.headers) {
        if (HEADERS_OF_THE_BODY.has(name)) continue;
        if (name === 'vary') {
          const vary = new Set([...value.split(','), ...(res.headers.get('vary') ?? '').split(',')].map((v) => v.trim()).filter((v) => v !== ''));
          res.headers.set('vary', [...vary].join(', '));
        } else res.headers.set(name, value);
      }
      c.res = undefined;
      c.res = res;
      return res;
    };
    const hit = entries.get(key);
    const age = hit ? now() - hit.storedAt : Infinity;
    if (hit && age < options.maxAgeMs && (hit.version === version || age < settleMs)) {
      hits++;
      // Most recently used last, so eviction takes the coldest first.
      entries.delete(key);
      entries.set(key, hit);
      return serve(hit);
    }
    // With a settle window, an older answer (within maxAge) stands in while the new one renders
    // or when the render was turned away (overloaded): readers are then one render behind.
    const standIn = settleMs > 0 && hit && age < options.maxAgeMs ? hit : null;
    const flightKey = `${version}\n${key}`;
    const underway = rendering.get(flightKey);
    if (underway && standIn) {
      hits++;
      return serve(standIn);
    }
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
    if (entry) serve(entry);
    else if (standIn && c.res.status === 503) serve(standIn);
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
