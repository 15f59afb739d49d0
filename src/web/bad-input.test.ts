/**
 * Bad input anywhere on the reader side is a clear 4xx, as a page for browsers and as JSON for
 * tools, never a 500: unknown and malformed paper ids, impossible dates, negative limits,
 * 10 kB queries, garbage in every parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enabledDialects } from '../store/testing/test-database.js';
import { createHarness, ORIGIN, type Harness } from './members/testing/member-harness.js';
import { seedCorpus } from './testing/reader-fixtures.js';

const html = { accept: 'text/html' };
const tenKb = 'q'.repeat(10_240);

describe.each(enabledDialects())('bad input on %s', (dialect) => {
  let h: Harness;
  const get = (path: string, headers: Record<string, string> = {}) => h.web.request(`${ORIGIN}${path}`, { headers });

  beforeAll(async () => {
    h = await createHarness(dialect);
    await seedCorpus(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it.each([
    ['/papers/1203.9999', 404, 'There is no paper 1203.9999 here.'],
    ['/papers/not-a-paper', 400, 'is not an arXiv id'],
    ['/papers/..%2F..%2Fetc%2Fpasswd', 400, 'is not an arXiv id'],
    [`/papers/${'1'.repeat(500)}`, 400, 'is not an arXiv id'],
    ['/date/2025-13-45', 400, 'is not a valid date'],
    ['/date/2012-02-30', 400, 'is not a valid date'],
    ['/week/2012-W99', 400, 'is not a valid week'],
    ['/month/2012-00', 400, 'is not a valid month'],
    ['/date/2012-03-15?page=-1', 400, '"page"'],
    ['/date/2012-03-15?sort=best', 400, '"sort"'],
    ['/date/2012-03-15?category=%3Cscript%3E', 400, '"category"'],
    ['/nothing/here', 404, 'Nothing at /nothing/here'],
  ])('%s is a %i page', async (path, status, message) => {
    const res = await get(path, html);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('text/html');
    const body = await res.text();
    expect(body).toContain(message.replace(/"/g, '&quot;'));
    expect(body).not.toContain('<script>');
  });

  it('shows a browser 404 in the site layout: header, navigation and stylesheet', async () => {
    const res = await get('/nothing/here', html);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toContain('<header class="site-header">');
    expect(body).toContain('<nav class="site-nav"');
    expect(body).toMatch(/<style>[^<]*\.site-header/);
    expect(body).toContain('<title>404 Not Found · Paperboy</title>');
    expect(body).toContain('Nothing at /nothing/here');
  });

  it('answers a 10 kB search query with a 400 search page that keeps the form', async () => {
    const res = await get(`/search?q=${tenKb}`, html);
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('at most 250 characters');
    expect(body).toContain('<form method="get" action="/search"');
  });

  it.each([
    `/api/papers/search?q=${tenKb}`,
    '/api/daily_papers?limit=-1',
    '/api/daily_papers?date=2025-13-45',
    `/api/daily_papers?submitter=${'x'.repeat(500)}`,
    '/api/v1/feed?limit=1000',
    `/api/v1/suggest?q=${tenKb}`,
    `/feeds/search.rss?q=${tenKb}`,
  ])('%s is a 400 JSON error', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatchObject({ code: 'invalid_input', details: { field: expect.any(String) } });
  });

  it('answers unknown papers in the API with a 404 JSON error', async () => {
    const res = await get('/api/papers/1203.9999');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'paper_not_found', message: expect.any(String), details: { arxivId: '1203.9999' } } });
  });
});
