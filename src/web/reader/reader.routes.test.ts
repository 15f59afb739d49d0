/**
 * Reader pages over HTTP (`app.request()`) on every dialect: the feed of a day, week and month
 * with navigation, chart, sorting and pagination; submissions taking precedence over
 * announcements; paper pages with typeset TeX, meta tags, versions, old-style ids and BibTeX;
 * the search page with highlights, filters and pagination, without JavaScript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { createHarness, signedInMember, TestClient, type Harness } from '../members/testing/member-harness.js';
import { addVotes, BUSY_COUNT, BUSY_DAY, OLD_STYLE, seedCorpus, submitOnDay, TEX_PAPER } from '../testing/reader-fixtures.js';

function cardIds(html: string): string[] {
  return [...html.matchAll(/<article aria-label="arXiv ([^"]+)"/g)].map((m) => m[1]!);
}

describe.each(enabledDialects())('reader pages on %s', (dialect) => {
  let h: Harness;
  let client: TestClient;
  const get = async (path: string) => {
    const res = await client.get(path);
    return { status: res.status, html: await res.text(), res };
  };

  beforeAll(async () => {
    h = await createHarness(dialect);
    await seedCorpus(h);
    await addVotes(h, '1203.0103', 3);
    await submitOnDay(h, '1203.0002', '2012-03-17');
    client = new TestClient(h.web);
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows the most recent day with papers on / and says that today is empty', async () => {
    const { status, html } = await get('/');
    expect(status).toBe(200);
    expect(html).toContain('No papers yet today');
    expect(html).toMatch(/Monday,? 19 March 2012/);
    expect(cardIds(html)).toEqual(['1203.0201']);
  });

  it('lists a day, trending first, with its neighbours and a chart of the week', async () => {
    const { status, html } = await get('/date/2012-03-15');
    expect(status).toBe(200);
    expect(cardIds(html)[0]).toBe('1203.0103'); // 3 upvotes
    expect(new Set(cardIds(html))).toEqual(new Set(['1203.0103', '1203.0102', TEX_PAPER]));
    expect(html).toContain('href="/date/2012-03-14" rel="prev"');
    // The 17th has a member submission, so it is the next day with papers.
    expect(html).toContain('href="/date/2012-03-17" rel="next"');
    expect(html).toMatch(/<svg[^>]+aria-label="Papers per day this week: \d+ papers"/);
    expect(html).toContain('aria-label="2012-03-15: 3 papers"');
    // Cards: first authors + et al., typeset math in titles, comment count.
    expect(html).toContain('Kurt Gödel, Paul Erdős, Ada Lovelace et al.');
    expect(html).toContain('<math');
    expect(html).toContain('0 comments');
  });

  it('sorts newest first when asked', async () => {
    const { html } = await get('/date/2012-03-15?sort=newest');
    expect(cardIds(html)).toEqual(['1203.0103', '1203.0102', TEX_PAPER]);
    expect(html).toMatch(/href="\/date\/2012-03-15\?sort=newest" aria-current="true"/);
  });

  it('puts member submissions before announcements on their day', async () => {
    const { html } = await get('/date/2012-03-17');
    expect(cardIds(html)).toEqual(['1203.0002']);
    expect(html).toContain('Submitted by members.');
    expect(html).toMatch(/submitted by @/);
  });

  it('says so when a day has no papers', async () => {
    const { status, html } = await get('/date/2012-03-16');
    expect(status).toBe(200);
    expect(html).toContain('No papers on this day');
    expect(html).toContain('href="/date/2012-03-15" rel="prev"');
  });

  it('shows weeks and months and paginates a busy day', async () => {
    const week = await get('/week/2012-W11');
    expect(cardIds(week.html)).toHaveLength(30);
    expect(week.html).toContain(`<p class="meta">${BUSY_COUNT + 5} papers`);
    expect(week.html).toContain('href="/week/2012-W10" rel="prev"');
    const month = await get('/month/2012-03');
    expect(month.html).toContain(`<p class="meta">${BUSY_COUNT + 6} papers`);
    const first = await get(`/date/${BUSY_DAY}`);
    expect(cardIds(first.html)).toHaveLength(30);
    expect(first.html).toContain(`href="/date/${BUSY_DAY}?page=1" rel="next"`);
    const second = await get(`/date/${BUSY_DAY}?page=1`);
    expect(cardIds(second.html)).toHaveLength(BUSY_COUNT - 30);
    expect(new Set([...cardIds(first.html), ...cardIds(second.html)]).size).toBe(BUSY_COUNT);
    expect(second.html).toContain('Page 2 of 2');
  });

  it('filters a feed by category', async () => {
    const { html } = await get('/date/2012-03-15?category=cs.LG');
    expect(cardIds(html)).toEqual(['1203.0103']);
  });

  it('renders a paper page with typeset TeX, links, versions, BibTeX and Highwire tags', async () => {
    const { status, html } = await get(`/papers/${TEX_PAPER}`);
    expect(status).toBe(200);
    expect(html).toMatch(/<h1 id="paper-title">The <span class="katex"><math/);
    expect(html).toContain('-anonymity of Gödel numberings in');
    expect(html).toContain('-stable sets are hard to find.');
    expect(html).toContain('Möbius');
    expect(html.match(/<p>/g)?.length).toBeGreaterThanOrEqual(2); // two abstract paragraphs
    expect(html).toContain('<meta name="citation_title" content="The k-anonymity of Gödel numberings in O(n³)"/>');
    expect(html.match(/name="citation_author"/g)).toHaveLength(5);
    // Each author links to a search for their name.
    expect(html).toContain(`<a href="/search?q=${encodeURIComponent('"Paul Erdős"')}&amp;expand=0">Paul Erdős</a>`);
    const byAuthor = await get(`/search?q=${encodeURIComponent('"Paul Erdős"')}&expand=0`);
    expect(byAuthor.html).toContain(`/papers/${TEX_PAPER}`);
    expect(html).toContain('<meta name="citation_pdf_url" content="https://arxiv.org/pdf/1203.0101"/>');
    expect(html).toContain('<meta name="citation_doi" content="10.1000/xyz123"/>');
    expect(html).toContain('<meta name="citation_date" content="2012/03/15"/>');
    expect(html).toContain('href="https://doi.org/10.1000/xyz123"');
    expect(html).toContain('v1</a> (15 Mar 2012)');
    expect(html).toContain('v2</a> (20 Mar 2012)');
    expect(html).toContain('@misc{godel2012anonymity');
    expect(html).toMatch(/<h2 id="similar-heading">(Similar papers|More from the same category)<\/h2>/);
    expect(html).toContain('href="/discuss/1203.0101"');
  });

  it('resolves a versioned id and an old-style id with a slash, and serves BibTeX', async () => {
    const v2 = await get(`/papers/${TEX_PAPER}v2`);
    expect(v2.status).toBe(200);
    expect(v2.html).toContain('href="https://arxiv.org/pdf/1203.0101v2"');
    expect(v2.html).toContain('<link rel="canonical" href="/papers/1203.0101"/>');
    const old = await get(`/papers/${OLD_STYLE}`);
    expect(old.status).toBe(200);
    expect(old.html).toContain('Solving random equations in Garside groups');
    expect((await get(`/papers/${encodeURIComponent(OLD_STYLE)}`)).status).toBe(200);
    const bib = await get(`/papers/${OLD_STYLE}.bib`);
    expect(bib.status).toBe(200);
    expect(bib.res.headers.get('content-type')).toContain('application/x-bibtex');
    expect(bib.html).toMatch(/^@misc\{lovelace2006solving,\n/);
    expect(bib.html).toContain('eprint = {math/0611918}');
  });

  it('serves a paper as Markdown at /papers/{id}.md and for Accept: text/markdown, discussion included', async () => {
    const m = await signedInMember(h, 'markdown-reader@example.org');
    const first = await m.client.post(`/papers/${TEX_PAPER}/comments`, { _csrf: m.csrf, body: 'Does $k$ grow?\n\nSecond *paragraph*.' }, { accept: 'application/json' });
    const parent = ((await first.json()) as { comment: { publicId: string } }).comment.publicId;
    await m.client.post(`/papers/${TEX_PAPER}/comments`, { _csrf: m.csrf, body: 'Answering myself.', parent }, { accept: 'application/json' });

    const md = await get(`/papers/${TEX_PAPER}.md`);
    expect(md.status).toBe(200);
    expect(md.res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const text = md.html;
    // The title through the TeX converter: no dollar signs or backslashes left.
    expect(text).toMatch(/^# The k-anonymity of Gödel numberings in O\(n3\)|^# The k-anonymity of Gödel numberings in O\(n³\)/);
    expect(text).toContain('**Authors:** Kurt Gödel, Paul Erdős, Ada Lovelace, Alan Turing, Grace Hopper');
    expect(text).toContain('**arXiv:** 1203.0101 (v2) · **Published:** 2012-03-15');
    expect(text).toContain('[PDF](https://arxiv.org/pdf/1203.0101)');
    expect(text).toContain('[DOI](https://doi.org/10.1000/xyz123)');
    expect(text).toContain('**Journal reference:** J. Graph Theory 12 (2012) 1-10');
    expect(text).toContain('## Abstract');
    expect(text).toContain('-stable sets are hard to find.');
    expect(text).toContain('## Discussion (2)');
    expect(text).toMatch(/^> \*\*[^*]+\*\* \(@[a-z0-9-]+\), \d{4}-\d{2}-\d{2}:$/m);
    expect(text).toContain('> Does $k$ grow?');
    expect(text).toContain('> Second *paragraph*.');
    expect(text).toContain('> > Answering myself.');

    // The same answer for versioned and old-style ids, and by content negotiation.
    expect((await get(`/papers/${TEX_PAPER}v1.md`)).html).toBe(text);
    const negotiated = await client.get(`/papers/${TEX_PAPER}`, { accept: 'text/markdown' });
    expect(await negotiated.text()).toBe(text);
    const old = await get(`/papers/${OLD_STYLE}.md`);
    expect(old.status).toBe(200);
    expect(old.html).toContain('# Solving random equations in Garside groups using length functions');
    expect(old.html).toContain('## Discussion (0)\n\nNo comments yet.');
    // An unknown paper is a 404; the JSON API does not serve Markdown.
    expect((await get('/papers/1203.9999.md')).status).toBe(404);
    expect((await get(`/api/papers/${TEX_PAPER}.md`)).status).toBe(400);
  });

  it('searches with highlights, filters and pagination, as a plain form', async () => {
    const { status, html } = await get('/search?q=graph');
    expect(status).toBe(200);
    expect(html).toContain('<mark>Graph</mark> colouring');
    expect(html).toMatch(/\d+ results? for “graph”/);
    const filtered = await get('/search?q=graph&from=2012-03-15&to=2012-03-15');
    expect(cardIds(filtered.html).sort()).toEqual(['1203.0101', '1203.0102'].sort());
    const byCategory = await get('/search?q=ranking&category=cs.IR');
    expect(cardIds(byCategory.html)).toEqual(['1203.0103']);
    const hasCode = await get('/search?q=graph&has_code=1');
    expect(cardIds(hasCode.html)).toEqual([]);
    expect(hasCode.html).toContain('No papers match');
    // Pages are numbered from 1, say the same count, and the last one ends the list.
    const page1 = await get('/search?q=queues');
    expect(cardIds(page1.html)).toHaveLength(20);
    expect(page1.html).toContain(`${BUSY_COUNT} results for “queues” · page 1 of 2`);
    expect(page1.html).toContain('href="/search?q=queues&amp;page=2" rel="next"');
    const page2 = await get('/search?q=queues&page=2');
    expect(cardIds(page2.html)).toHaveLength(BUSY_COUNT - 20);
    expect(page2.html).toContain(`${BUSY_COUNT} results for “queues” · page 2 of 2`);
    expect(page2.html).not.toContain('rel="next"');
    expect(new Set([...cardIds(page1.html), ...cardIds(page2.html)]).size).toBe(BUSY_COUNT);
    // An old 0-based link still opens the first page.
    expect(cardIds((await get('/search?q=queues&page=0')).html)).toEqual(cardIds(page1.html));
    // The form is a plain GET form: nothing depends on the script.
    expect(html).toMatch(/<form method="get" action="\/search"/);
  });

  it('shows signed-in members their own upvotes on the feed', async () => {
    const m = await signedInMember(h, 'reader@example.org');
    await m.client.post(`/papers/1203.0102/upvote`, { _csrf: m.csrf, value: '1' });
    const res = await m.client.get('/date/2012-03-15');
    const html = await res.text();
    expect(html).toMatch(/action="\/papers\/1203.0102\/upvote"[\s\S]*?aria-pressed="true"/);
    expect(html).toContain('Signed in as');
  });
});
