/**
 * What a server owner relies on, over HTTP on every dialect: /readyz says whether the instance
 * can serve and why not; /metrics (only when enabled) has request, search and queue figures in
 * Prometheus text format; the JSON API states its per-client limit and answers 429 past it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { enabledDialects } from '../store/testing/test-database.js';
import { createHarness, ORIGIN, type Harness } from './members/testing/member-harness.js';
import { seedCorpus } from './testing/reader-fixtures.js';

describe.each(enabledDialects())('operations on %s', (dialect) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const get = (path: string, headers: Record<string, string> = {}) => h!.web.request(`${ORIGIN}${path}`, { headers });

  it('reports readiness: not ready until the search index is loaded, then ready with every check', async () => {
    h = await createHarness(dialect);
    await seedCorpus(h);
    const before = await get('/readyz');
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ status: 'not ready', ready: false, checks: { database: 'ok', migrations: 'ok', searchIndex: 'loading' } });
    await h.app.services.searchEngine.stats(); // what the warm-up job does at start
    const after = await get('/readyz');
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ status: 'ready', ready: true, checks: { database: 'ok', migrations: 'ok', searchIndex: 'loaded', vectors: expect.stringMatching(/^(ready|not yet|off)$/) } });
    expect((await get('/healthz')).status).toBe(200);
  });

  it('serves Prometheus metrics only when enabled, with requests, searches and the queue', async () => {
    h = await createHarness(dialect);
    expect((await get('/metrics')).status).toBe(404);
    await h.close();
    h = await createHarness(dialect, { http: { metrics: true } });
    await seedCorpus(h);
    expect((await get('/api/papers/search?q=graph')).status).toBe(200);
    expect((await get('/papers/1203.0001', { accept: 'text/html' })).status).toBe(200);
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/paperboy_http_requests_total\{method="GET",route="\/api\/papers\/search",status="200"\} 1/);
    expect(text).toMatch(/paperboy_http_request_duration_seconds_bucket\{le="[0-9.]+",route="\/papers\/:rest\{\.\+\}"\} 1/);
    // The search, and the paper page's similar papers (lexical while there are no vectors).
    expect(text).toMatch(/paperboy_search_duration_seconds_count\{mode="lexical"\} 2/);
    expect(text).toMatch(/paperboy_heavy_queue\{state="queued"\} 0/);
    expect(text).toMatch(/paperboy_search_index_documents\{side="lexical"\} \d+/);
    expect(text).toMatch(/paperboy_digest_deliveries\{status="sent"\} 0/);
    expect(text).toContain('paperboy_process_cpu_seconds_total');
  });

  it('turns a search away with 503 and Retry-After when the search queue is full, and serves it again after', async () => {
    h = await createHarness(dialect, { http: { heavyConcurrency: 1, heavyQueue: 0 } });
    await seedCorpus(h);
    const [a, b] = await Promise.all([get('/api/papers/search?q=graph'), get('/api/papers/search?q=sorting')]);
    expect([a.status, b.status].sort()).toEqual([200, 503]);
    const refused = a.status === 503 ? a : b;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('overloaded');
    // Cached answers do not queue: the search that succeeded is served again at once, with the queue busy or not.
    expect((await get('/api/papers/search?q=sorting')).status).toBe(200);
    expect((await get('/api/papers/search?q=graph')).status).toBe(200);
  });

  it('states the API limit per client in RateLimit headers and answers 429 with Retry-After past it', async () => {
    // Behind a proxy the operator trusts, the client is the X-Forwarded-For address.
    h = await createHarness(dialect, { http: { apiRequestsPerMinute: 3 }, members: { trustProxy: true } });
    await seedCorpus(h);
    const client = { 'x-forwarded-for': '203.0.113.7' };
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ok = await get('/api/daily_papers?date=2012-03-15', client);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('ratelimit-limit')).toBe('3');
      remaining.push(ok.headers.get('ratelimit-remaining')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await get('/api/daily_papers?date=2012-03-15', client);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string; details: { limit: string } } }).error).toMatchObject({ code: 'rate_limited', details: { limit: 'api_requests_per_ip' } });
    // Another client has its own allowance; pages are not counted against the API limit.
    expect((await get('/api/daily_papers?date=2012-03-15', { 'x-forwarded-for': '203.0.113.8' })).status).toBe(200);
    expect((await get('/', { ...client, accept: 'text/html' })).status).toBe(200);
  });
});
