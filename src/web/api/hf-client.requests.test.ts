/**
 * The Hugging Face client's own requests (hf-client.requests.ts: paths, query encoding, headers
 * including a saved Hugging Face token) sent to a real Paperboy server on loopback, on every
 * dialect, and the answers read the way the client reads them (hf-client.contract.ts), down to
 * the columns `hf papers ls|search` print and the 404 that `hf papers info|read` turn into
 * "not found".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { createHarness, type Harness } from '../members/testing/member-harness.js';
import { addVotes, BUSY_COUNT, BUSY_DAY, OLD_STYLE, seedCorpus, submitOnDay, TEX_PAPER } from '../testing/reader-fixtures.js';
import { startWebServer, type WebServer } from '../web-server.js';
import { parsePaperInfo } from './hf-client.contract.js';
import { hfPapersInfo, hfPapersLs, hfPapersRead, hfPapersSearch, listDailyPapers, listPapers, paperInfo, readPaper, type HfRequest } from './hf-client.requests.js';

/** A token the user saved for huggingface.co; the client sends it wherever it is pointed. */
const SAVED_HF_TOKEN = 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345';

describe.each(enabledDialects())('huggingface_hub requests against a real server on %s', (dialect) => {
  let h: Harness;
  let server: WebServer;
  let endpoint: string;

  async function send(req: HfRequest): Promise<Response> {
    return fetch(req.url, { headers: req.headers });
  }

  /** `for paper in r.json(): yield PaperInfo(**paper)`, then what the CLI table prints. */
  async function papers(req: HfRequest) {
    const res = await send(req);
    expect(res.status, `${req.call} ${req.url}`).toBe(200);
    const body = (await res.json()) as unknown[];
    expect(Array.isArray(body)).toBe(true);
    return body.map((item) => {
      const info = parsePaperInfo(item);
      return { ...info, row: { id: info.id, title: info.title, upvotes: info.upvotes, comments: info.comments, published_at: info.publishedAt, submitted_by_name: info.submittedBy?.fullname || info.submittedBy?.username || '' } };
    });
  }

  beforeAll(async () => {
    h = await createHarness(dialect);
    await seedCorpus(h);
    await addVotes(h, '1203.0103', 2);
    await submitOnDay(h, '1203.0002', '2012-03-17');
    server = await startWebServer({ config: { port: 0, host: '127.0.0.1', http: h.app.config.http }, services: h.app.services, logger: h.app.logger });
    endpoint = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('list_daily_papers: every parameter the client sends, with and without a saved token', async () => {
    for (const token of [null, SAVED_HF_TOKEN]) {
      const day = await papers(listDailyPapers(endpoint, { date: '2012-03-15' }, token));
      expect(day.map((p) => p.id).sort()).toEqual(['1203.0102', '1203.0103', TEX_PAPER].sort());
      expect(day.every((p) => p.title && p.publishedAt && p.authors && p.authors.length > 0)).toBe(true);
    }
    const trending = await papers(listDailyPapers(endpoint, { week: '2012-W11', sort: 'trending', limit: 100 }));
    expect(trending[0]!.id).toBe('1203.0103');
    expect(trending[0]!.upvotes).toBe(2);
    expect((await papers(listDailyPapers(endpoint, { month: '2012-03', limit: 100 }))).length).toBe(BUSY_COUNT + 6);
    const pageTwo = await papers(listDailyPapers(endpoint, { date: BUSY_DAY, p: 1, limit: 20 }));
    expect(pageTwo).toHaveLength(BUSY_COUNT - 20);
    const submitted = await papers(listDailyPapers(endpoint, { date: '2012-03-17' }));
    expect(submitted).toHaveLength(1);
    const handle = submitted[0]!.submittedBy!.username;
    expect((await papers(listDailyPapers(endpoint, { date: '2012-03-17', submitter: handle }))).map((p) => p.id)).toEqual(['1203.0002']);
    // No arguments: the latest day with papers.
    expect((await papers(listDailyPapers(endpoint))).map((p) => p.id)).toEqual(['1203.0201']);
  });

  it('list_papers: with a query (encoded with + for spaces) and without one', async () => {
    const found = await papers(listPapers(endpoint, { query: 'graph colouring', limit: 5 }, SAVED_HF_TOKEN));
    expect(found[0]!.id).toBe('1203.0001');
    expect(found.length).toBeLessThanOrEqual(5);
    expect(listPapers(endpoint, { query: 'graph colouring' }).url).toContain('q=graph+colouring');
    const newest = await papers(listPapers(endpoint, {}));
    expect(listPapers(endpoint, {}).url).toBe(`${endpoint}/api/papers/search`);
    expect(newest.length).toBeGreaterThan(10);
    expect(newest[0]!.id).toBe('1203.0201');
  });

  it('paper_info and read_paper: new-style, versioned and old-style ids, 404 for unknown ones', async () => {
    for (const id of [TEX_PAPER, `${TEX_PAPER}v2`, OLD_STYLE]) {
      const res = await send(paperInfo(endpoint, id));
      expect(res.status, id).toBe(200);
      const info = parsePaperInfo(await res.json());
      expect(info.id).toBe(id.replace(/v\d+$/, ''));
      const md = await send(readPaper(endpoint, id));
      expect(md.status, `${id}.md`).toBe(200);
      expect(md.headers.get('content-type')).toContain('text/markdown');
      expect(await md.text()).toContain(`# ${info.title}`);
    }
    expect((await send(paperInfo(endpoint, '1203.9999'))).status).toBe(404);
    expect((await send(readPaper(endpoint, '1203.9999'))).status).toBe(404);
  });

  it('hf papers ls | search | info | read, as the command line sends them', async () => {
    const ls = await papers(hfPapersLs(endpoint, { date: BUSY_DAY }, SAVED_HF_TOKEN));
    expect(hfPapersLs(endpoint, { date: BUSY_DAY }).url).toContain('limit=50');
    expect(ls).toHaveLength(BUSY_COUNT);
    for (const p of ls) expect(Object.keys(p.row)).toEqual(['id', 'title', 'upvotes', 'comments', 'published_at', 'submitted_by_name']);
    const sorted = await papers(hfPapersLs(endpoint, { month: '2012-03', sort: 'trending' }));
    expect(sorted[0]!.id).toBe('1203.0103');
    // `--date today`: a day without papers is an empty table, not an error.
    expect(await papers(hfPapersLs(endpoint, { date: 'today' }, null, new Date('2031-05-05T12:00:00')))).toEqual([]);
    const search = await papers(hfPapersSearch(endpoint, 'sorting networks'));
    expect(search[0]!.id).toBe('1203.0002');
    expect(search[0]!.summary).toBeTruthy();
    const info = await send(hfPapersInfo(endpoint, OLD_STYLE));
    expect(parsePaperInfo(await info.json()).title).toBe('Solving random equations in Garside groups using length functions');
    const read = await send(hfPapersRead(endpoint, '1203.0001'));
    expect(await read.text()).toContain('# Graph colouring with few colours');
    expect((await send(hfPapersInfo(endpoint, '2501.99999'))).status).toBe(404);
  });
});
