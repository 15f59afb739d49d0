/**
 * The answer cache over HTTP on every dialect: anonymous readers get the same answer from
 * memory (and a 304 on revalidation) until something is written; a vote, a comment or a new
 * paper shows on the very next request (with the settle window off), for pages and the JSON
 * APIs alike; members and token-authenticated calls always get a fresh answer. With the settle
 * window, a write shows to anonymous readers once the cached answer is that old. Clients that
 * accept gzip get the same answer gzipped, under its own ETag.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { addPapers, createHarness, ORIGIN, paperRecord, signedInMember, type Harness } from '../members/testing/member-harness.js';
import { addVotes, seedCorpus } from '../testing/reader-fixtures.js';

describe.each(enabledDialects())('answer cache on %s', (dialect) => {
  let h: Harness;
  const get = (path: string, headers: Record<string, string> = {}) => h.web.request(`${ORIGIN}${path}`, { headers });

  beforeAll(async () => {
    h = await createHarness(dialect, { members: { limits: { votesPerMinute: 1000, commentsPerHour: 1000 } }, http: { answerCacheSettleMs: 0 } });
    await seedCorpus(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers repeated anonymous reads with the same body and ETag, and 304 on revalidation', async () => {
    const first = await get('/api/daily_papers?date=2012-03-15');
    const second = await get('/api/daily_papers?date=2012-03-15');
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.headers.get('cache-control')).toBe('public, no-cache');
    expect(second.headers.get('content-type')).toContain('application/json');
    const revalidated = await get('/api/daily_papers?date=2012-03-15', { 'if-none-match': first.headers.get('etag')! });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
  });

  it('shows a vote on the next request, in the API and on the paper page', async () => {
    const upvotesOf = async () => ((await (await get('/api/papers/1203.0102')).json()) as { upvotes: number }).upvotes;
    const page = async () => (await get('/papers/1203.0102', { accept: 'text/html' })).text();
    const before = await upvotesOf();
    const pageBefore = await page();
    await addVotes(h, '1203.0102', 1);
    expect(await upvotesOf()).toBe(before + 1);
    const pageAfter = await page();
    expect(pageAfter).not.toBe(pageBefore);
    expect(pageAfter).toContain(`data-upvote-count="true">${before + 1}<`);
  });

  it('shows a new paper in search and in the day feed on the next request', async () => {
    const search = async () => ((await (await get('/api/papers/search?q=quokka')).json()) as { paper: { id: string } }[]).map((i) => i.paper.id);
    const day = async () => ((await (await get('/api/daily_papers?date=2012-03-14')).json()) as { paper: { id: string } }[]).map((i) => i.paper.id);
    expect(await search()).toEqual([]);
    const dayBefore = await day();
    await addPapers(h, paperRecord('1203.0009', { title: 'Quokka populations on islands', abstract: 'Counting quokkas.', publishedAt: '2012-03-14', versions: [{ version: 1, submittedAt: '2012-03-14T10:00:00Z' }] }));
    expect(await search()).toEqual(['1203.0009']);
    expect(await day()).toEqual(expect.arrayContaining([...dayBefore, '1203.0009']));
  });

  it('shows a comment on the next request of the paper page', async () => {
    const m = await signedInMember(h, 'commenter@example.org');
    const before = await (await get('/papers/1203.0001', { accept: 'text/html' })).text();
    expect(before).not.toContain('A remark about colours');
    const posted = await m.client.post('/papers/1203.0001/comments', { _csrf: m.csrf, body: 'A remark about colours' });
    expect(posted.status).toBeLessThan(400);
    const discussion = await (await get('/discuss/1203.0001', { accept: 'text/html' })).text();
    const page = await (await get('/papers/1203.0001', { accept: 'text/html' })).text();
    expect(discussion + page).toContain('A remark about colours');
    expect(page).not.toBe(before);
  });

  it('never serves a member the anonymous answer', async () => {
    const m = await signedInMember(h, 'reader@example.org');
    await get('/papers/1203.0103', { accept: 'text/html' });
    const own = await (await m.client.get('/papers/1203.0103')).text();
    expect(own).toContain('Signed in as');
    expect(own).toContain(m.csrf);
  });
});

describe.each(enabledDialects())('answer cache with a settle window, on %s', (dialect) => {
  const SETTLE_MS = 400;
  let h: Harness;
  const get = (path: string, headers: Record<string, string> = {}) => h.web.request(`${ORIGIN}${path}`, { headers });
  beforeAll(async () => {
    h = await createHarness(dialect, { http: { answerCacheSettleMs: SETTLE_MS } });
    await seedCorpus(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows a vote to anonymous readers once the cached answer is older than the window, to members at once', async () => {
    const upvotesOf = async () => ((await (await get('/api/papers/1203.0102')).json()) as { upvotes: number }).upvotes;
    const before = await upvotesOf();
    const cachedAt = Date.now();
    await addVotes(h, '1203.0102', 1);
    const m = await signedInMember(h, 'member@example.org');
    expect(await (await m.client.get('/papers/1203.0102')).text()).toContain(`data-upvote-count="true">${before + 1}<`);
    // Still inside the window (the assertion is skipped if this machine was too slow to be inside it).
    const early = await upvotesOf();
    if (Date.now() - cachedAt < SETTLE_MS - 50) expect(early).toBe(before);
    await new Promise((r) => setTimeout(r, SETTLE_MS + 50 - (Date.now() - cachedAt)));
    expect(await upvotesOf()).toBe(before + 1);
  });

  it('answers clients that accept gzip with the same body gzipped, its own ETag and Vary: Accept-Encoding', async () => {
    const plain = await get('/api/daily_papers?date=2012-03-12');
    const plainBody = Buffer.from(await plain.arrayBuffer());
    expect(plainBody.byteLength).toBeGreaterThan(1024);
    expect(plain.headers.get('content-encoding')).toBeNull();
    const zipped = await get('/api/daily_papers?date=2012-03-12', { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const zippedBody = Buffer.from(await zipped.arrayBuffer());
    expect(zippedBody.byteLength).toBeLessThan(plainBody.byteLength / 2);
    expect(gunzipSync(zippedBody).equals(plainBody)).toBe(true);
    for (const r of [plain, zipped]) expect(r.headers.get('vary')).toContain('Accept-Encoding');
    expect(zipped.headers.get('etag')).not.toBe(plain.headers.get('etag'));
    const revalidated = await get('/api/daily_papers?date=2012-03-12', { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.get('etag')! });
    expect(revalidated.status).toBe(304);
    // gzip;q=0 means "not gzip".
    expect((await get('/api/daily_papers?date=2012-03-12', { 'accept-encoding': 'gzip;q=0, identity' })).headers.get('content-encoding')).toBeNull();
    // Small answers go out as they are (a cached 404 of the API).
    const small = await get('/api/papers/1203.9999', { 'accept-encoding': 'gzip' });
    expect(small.status).toBe(404);
    expect(small.headers.get('content-encoding')).toBeNull();
    expect((await small.arrayBuffer()).byteLength).toBeLessThan(1024);
  });
});

describe('answer cache under a burst', () => {
  it('renders an answer once for a burst of identical requests, and again once the data changed', async () => {
    const { Hono } = await import('hono');
    const { createResponseCache } = await import('./response-cache.js');
    let version = 'v1';
    let renders = 0;
    const cache = createResponseCache({ version: async () => version, maxAgeMs: 60_000, maxEntries: 10, maxBytes: 1 << 20 });
    const app = new Hono();
    app.use('*', async (c, next) => {
      c.set('viewer', null);
      await next();
    });
    app.use('/page', cache.middleware);
    app.get('/page', async (c) => {
      renders++;
      await new Promise((r) => setTimeout(r, 20));
      return c.text(`render ${renders} at ${version}`);
    });
    const burst = await Promise.all(Array.from({ length: 50 }, () => app.request('/page')));
    const bodies = new Set(await Promise.all(burst.map((r) => r.text())));
    expect(renders).toBe(1);
    expect([...bodies]).toEqual(['render 1 at v1']);
    expect(new Set(burst.map((r) => r.headers.get('etag'))).size).toBe(1);
    version = 'v2';
    expect(await (await app.request('/page')).text()).toBe('render 2 at v2');
    expect(cache.stats()).toMatchObject({ misses: 2, hits: 49 });
  });
});

describe('answer cache with a settle window, while an answer renders', () => {
  it('serves the older answer while the new one renders, and in place of a 503', async () => {
    const { Hono } = await import('hono');
    const { createResponseCache } = await import('./response-cache.js');
    let version = 'v1';
    let renders = 0;
    let overloaded = false;
    let clock = 0;
    const cache = createResponseCache({ version: async () => version, maxAgeMs: 60_000, settleMs: 1_000, maxEntries: 10, maxBytes: 1 << 20, now: () => clock });
    const app = new Hono();
    app.use('*', async (c, next) => {
      c.set('viewer', null);
      await next();
    });
    app.use('/page', cache.middleware);
    app.get('/page', async (c) => {
      renders++;
      await new Promise((r) => setTimeout(r, 30));
      if (overloaded) return c.json({ error: { code: 'overloaded' } }, 503, { 'Retry-After': '1' });
      return c.text(`render ${renders} at ${version}`);
    });
    expect(await (await app.request('/page')).text()).toBe('render 1 at v1');
    // Written meanwhile, but inside the window: the cached answer stands.
    version = 'v2';
    clock = 500;
    expect(await (await app.request('/page')).text()).toBe('render 1 at v1');
    // Past the window: one request renders, the others are answered at once with the older answer.
    clock = 1_500;
    const burst = await Promise.all(Array.from({ length: 5 }, async () => (await app.request('/page')).text()));
    expect(renders).toBe(2);
    expect(burst.filter((b) => b === 'render 2 at v2')).toHaveLength(1);
    expect(burst.filter((b) => b === 'render 1 at v1')).toHaveLength(4);
    // A render turned away with a 503 answers with the older answer instead.
    version = 'v3';
    clock = 3_000;
    overloaded = true;
    const r = await app.request('/page');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('render 2 at v2');
  });
});

describe('answer cache memory', () => {
  it('counts a gzipped copy against maxBytes, and frees it with its entry', async () => {
    const { Hono } = await import('hono');
    const { createResponseCache } = await import('./response-cache.js');
    let version = 'v1';
    const cache = createResponseCache({ version: async () => version, maxAgeMs: 60_000, maxEntries: 10, maxBytes: 1 << 20 });
    const app = new Hono();
    app.use('*', async (c, next) => {
      c.set('viewer', null);
      await next();
    });
    app.use('/page', cache.middleware);
    app.get('/page', (c) => c.text(`${version} `.repeat(1000)));
    await app.request('/page');
    const plain = cache.stats().bytes;
    expect(plain).toBe(3000);
    await app.request('/page', { headers: { 'accept-encoding': 'gzip' } });
    const withCopy = cache.stats().bytes;
    expect(withCopy).toBeGreaterThan(plain);
    await app.request('/page', { headers: { 'accept-encoding': 'gzip' } });
    expect(cache.stats().bytes).toBe(withCopy);
    version = 'v2';
    await app.request('/page');
    expect(cache.stats().bytes).toBe(3000);
  });
});
