/**
 * The Hugging Face-compatible API and `/api/v1/` over HTTP on every dialect: answers parse
 * under the huggingface_hub client's contract (hf-client.contract.ts) with the fields it
 * reads filled in, pagination follows `Link: rel="next"`, invalid input is a 400 with a stable
 * code, and reads carry ETag (304 on revalidation), Last-Modified and CORS headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { createHarness, ORIGIN, type Harness } from '../members/testing/member-harness.js';
import { addVotes, BUSY_COUNT, BUSY_DAY, OLD_STYLE, seedCorpus, submitOnDay, TEX_PAPER } from '../testing/reader-fixtures.js';
import { parsePaperInfo } from './hf-client.contract.js';

describe.each(enabledDialects())('Hugging Face-compatible API on %s', (dialect) => {
  let h: Harness;
  const get = (path: string, headers: Record<string, string> = {}) => h.web.request(`${ORIGIN}${path}`, { headers });
  const json = async (path: string) => {
    const res = await get(path);
    return { res, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    h = await createHarness(dialect);
    await seedCorpus(h);
    await addVotes(h, '1203.0103', 2);
    await submitOnDay(h, '1203.0002', '2012-03-17');
  });
  afterAll(async () => {
    await h.close();
  });

  it('daily_papers answers items the client parses, with the fields it reads at top level', async () => {
    const { res, body } = await json('/api/daily_papers?date=2012-03-15');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(body).toHaveLength(3);
    const parsed = body.map(parsePaperInfo);
    const tex = parsed.find((p: any) => p.id === TEX_PAPER)!;
    expect(tex.title).toBe('The k-anonymity of Gödel numberings in O(n³)');
    expect(tex.summary).toContain('α-stable sets are hard to find.');
    expect(tex.authors.map((a: any) => a.name)).toEqual(['Kurt Gödel', 'Paul Erdős', 'Ada Lovelace', 'Alan Turing', 'Grace Hopper']);
    expect(tex.publishedAt.toISOString()).toBe('2012-03-15T00:00:00.000Z');
    expect(tex.discussionId).toBe(TEX_PAPER);
    expect(tex.comments).toBe(0);
    const voted = body.find((i: any) => i.paper.id === '1203.0103');
    expect(voted.paper.upvotes).toBe(2);
    for (const item of body) {
      expect(Object.keys(item).sort()).toEqual(['isAuthorParticipating', 'numComments', 'paper', 'publishedAt', 'summary', 'thumbnail', 'title']);
      expect(item.title).toBe(item.paper.title);
      for (const a of item.paper.authors) expect(a).toEqual({ _id: expect.stringMatching(/^[0-9a-f]{24}$/), name: expect.any(String), hidden: false });
    }
  });

  it('daily_papers names the submitter with both name and user keys', async () => {
    const { body } = await json('/api/daily_papers?date=2012-03-17');
    expect(body).toHaveLength(1);
    const item = body[0];
    expect(item.submittedBy).toEqual({ _id: expect.any(String), name: expect.any(String), user: expect.any(String), fullname: expect.any(String), type: 'user' });
    expect(item.paper.submittedOnDailyBy).toEqual(item.submittedBy);
    expect(item.paper.submittedOnDailyAt).toBe('2012-03-17T08:00:00.000Z');
    const parsed = parsePaperInfo(item);
    expect(parsed.submittedBy?.username).toBe(item.submittedBy.user);
    expect(parsed.submittedAt?.toISOString()).toBe('2012-03-17T08:00:00.000Z');
    // Only this member's submissions.
    const mine = await json(`/api/daily_papers?date=2012-03-17&submitter=${item.submittedBy.user}`);
    expect(mine.body).toHaveLength(1);
    expect((await json('/api/daily_papers?date=2012-03-17&submitter=nobody-here')).body).toEqual([]);
  });

  it('pages with p and limit and says where the next page is', async () => {
    const first = await json(`/api/daily_papers?date=${BUSY_DAY}&limit=20&sort=publishedAt`);
    expect(first.body).toHaveLength(20);
    const link = first.res.headers.get('link')!;
    expect(link).toMatch(/^<http:\/\/localhost\/api\/daily_papers\?.*p=1.*>; rel="next"$/);
    const next = await json(link.slice(1, link.indexOf('>')).replace(ORIGIN, ''));
    expect(next.body).toHaveLength(BUSY_COUNT - 20);
    expect(next.res.headers.get('link')).toBeNull();
    const ids = [...first.body, ...next.body].map((i: any) => i.paper.id);
    expect(new Set(ids).size).toBe(BUSY_COUNT);
  });

  it('accepts week and month and trending order', async () => {
    const week = await json('/api/daily_papers?week=2012-W11&limit=100&sort=trending');
    expect(week.body).toHaveLength(BUSY_COUNT + 5); // 1203.0002 moved from the 14th to its submission day
    expect(week.body[0].paper.id).toBe('1203.0103');
    const month = await json('/api/daily_papers?month=2012-03&limit=100');
    expect(month.body).toHaveLength(BUSY_COUNT + 6);
    // No period: the latest day with papers.
    const latest = await json('/api/daily_papers');
    expect(latest.body.map((i: any) => i.paper.id)).toEqual(['1203.0201']);
  });

  it.each([
    ['/api/daily_papers?date=2025-13-45', 'date'],
    ['/api/daily_papers?date=yesterday', 'date'],
    ['/api/daily_papers?week=2012-W60', 'week'],
    ['/api/daily_papers?month=2012-13', 'month'],
    ['/api/daily_papers?limit=-1', 'limit'],
    ['/api/daily_papers?limit=0', 'limit'],
    ['/api/daily_papers?limit=101', 'limit'],
    ['/api/daily_papers?p=-3', 'p'],
    ['/api/daily_papers?sort=best', 'sort'],
    ['/api/daily_papers?date=2012-03-15&month=2012-03', 'month'],
    ['/api/papers/search?q=graph&limit=121', 'limit'],
    [`/api/papers/search?q=${'x'.repeat(251)}`, 'q'],
    [`/api/papers/search?q=${'graph '.repeat(2000)}`, 'q'],
    ['/api/papers/not-an-id', 'arxivId'],
    ['/api/v1/search?q=', 'q'],
  ])('%s is a 400 naming %s', async (path, field) => {
    const { res, body } = await json(path);
    expect(res.status).toBe(400);
    expect(body).toEqual({ error: { code: 'invalid_input', message: expect.any(String), details: { field } } });
  });

  it('papers/{id} answers the flat paper, old-style ids included, and 404 for unknown ones', async () => {
    const { res, body } = await json(`/api/papers/${TEX_PAPER}`);
    expect(res.status).toBe(200);
    const parsed = parsePaperInfo(body);
    expect(parsed).toMatchObject({ id: TEX_PAPER, title: 'The k-anonymity of Gödel numberings in O(n³)', upvotes: 0, comments: 0 });
    expect(body.numComments).toBe(0);
    expect(res.headers.get('last-modified')).toMatch(/GMT$/);
    expect((await json(`/api/papers/${OLD_STYLE}`)).body.id).toBe(OLD_STYLE);
    expect((await json(`/api/papers/${TEX_PAPER}v2`)).body.id).toBe(TEX_PAPER);
    const missing = await json('/api/papers/1203.9999');
    expect(missing.res.status).toBe(404);
    expect(missing.body.error.code).toBe('paper_not_found');
  });

  it('papers/search answers daily-shaped items with highlight segments', async () => {
    const { res, body } = await json('/api/papers/search?q=graph%20colouring&limit=5');
    expect(res.status).toBe(200);
    expect(body.length).toBeGreaterThan(0);
    expect(body.length).toBeLessThanOrEqual(5);
    const top = body[0];
    expect(top.paper.id).toBe('1203.0001');
    parsePaperInfo(top);
    // Whatever backend ranks (the engine or the SQL fallback), segments rebuild the title and mark the query words.
    expect(top.highlightedTitle.map((s: any) => s.text).join('')).toBe('Graph colouring with few colours');
    const marked = top.highlightedTitle.filter((s: any) => s.type === 'highlight').map((s: any) => s.text.toLowerCase());
    expect(marked).toEqual(expect.arrayContaining(['graph', 'colouring']));
    for (const s of [...top.highlightedTitle, ...top.highlightedSummary]) expect(['text', 'highlight']).toContain(s.type);
    // list_papers() without a query: the newest papers, in the same item shape.
    const unqueried = await json('/api/papers/search?limit=3');
    expect(unqueried.body.map((i: any) => i.paper.id)).toEqual((await json('/api/papers?limit=3')).body.map((p: any) => p.id));
    unqueried.body.forEach(parsePaperInfo);
  });

  it('papers lists every paper newest first, a cursor page at a time, following Link: rel="next"', async () => {
    const seen: any[] = [];
    let path: string | null = '/api/papers?limit=7';
    let pages = 0;
    while (path) {
      const { res, body } = await json(path);
      expect(res.status).toBe(200);
      expect(body.length).toBeLessThanOrEqual(7);
      seen.push(...body);
      pages++;
      const link = res.headers.get('link');
      path = link ? link.slice(1, link.indexOf('>')).replace(ORIGIN, '') : null;
      if (path) expect(path).toMatch(/[?&]cursor=[A-Za-z0-9_-]+/);
    }
    const ids = seen.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const everything = await json('/api/papers?limit=100');
    expect(everything.res.headers.get('link')).toBeNull();
    expect(ids).toEqual(everything.body.map((p: any) => p.id));
    expect(pages).toBe(Math.ceil(ids.length / 7));
    const dates = seen.map((p) => p.publishedAt as string);
    expect([...dates].sort().reverse()).toEqual(dates);
    for (const p of seen) expect(parsePaperInfo(p).id).toBe(p.id);
    expect(seen.find((p) => p.id === '1203.0103').upvotes).toBe(2);
  });

  it.each(['not a cursor', 'WzFd', 'eyJ4Ijp0cnVlfQ'])('papers?cursor=%s is a 400 naming the cursor', async (cursor) => {
    const { res, body } = await json(`/api/papers?cursor=${encodeURIComponent(cursor)}`);
    expect(res.status).toBe(400);
    expect(body.error.details.field).toBe('cursor');
  });

  it('supports conditional GET, CORS and the OpenAPI document', async () => {
    const first = await get('/api/daily_papers?date=2012-03-15');
    const tag = first.headers.get('etag');
    expect(tag).toBeTruthy();
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    const again = await get('/api/daily_papers?date=2012-03-15', { 'if-none-match': tag! });
    expect(again.status).toBe(304);
    const preflight = await h.web.request(`${ORIGIN}/api/daily_papers`, { method: 'OPTIONS', headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    const doc = await json('/api/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/daily_papers', '/api/papers', '/api/papers/search', '/api/papers/{id}', '/api/v1/feed', '/papers/{id}.md']));
    // Every API route the app serves is described, with its method.
    const documented = new Set(Object.entries(doc.body.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    const served = h.web.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && r.path !== '/api/openapi.json')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}').replace('{rest}', '{id}')}`);
    expect(served.length).toBeGreaterThan(15);
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('v1 endpoints give the feed with metadata, a paper with similar papers, search with filters and suggestions', async () => {
    const feed = await json('/api/v1/feed?date=2012-03-15&sort=newest');
    expect(feed.body).toMatchObject({ period: { kind: 'day', label: '2012-03-15' }, total: 3, hasMore: false, source: 'announcements', previous: { label: '2012-03-14' }, next: { label: '2012-03-17' } });
    expect(feed.body.papersPerDay).toHaveLength(7);
    const paper = await json(`/api/v1/papers/${TEX_PAPER}`);
    expect(['content', 'same-category']).toContain(paper.body.similar.basis);
    expect(paper.body.similar.papers.map((p: any) => p.arxivId)).not.toContain(TEX_PAPER);
    expect(paper.body.similar.papers.length).toBeGreaterThan(0);
    expect(paper.body.bibtex).toContain('@misc{');
    const search = await json('/api/v1/search?q=graph&from=2012-03-15&to=2012-03-15&limit=1');
    expect(search.body).toMatchObject({ total: 2, hasMore: true, engine: expect.any(String) });
    expect(search.res.headers.get('link')).toContain('page=1');
    const suggest = await json('/api/v1/suggest?q=sorting');
    expect(suggest.body.suggestions).toEqual([{ arxivId: '1203.0002', title: 'Sorting networks revisited' }]);
  });
});
