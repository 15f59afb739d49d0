/**
 * Submitting papers: any arXiv id or URL form lands the paper on today's feed with its
 * submitter, fetched from the arXiv API when not stored yet; anything that is not an arXiv
 * reference is refused with a clear 4xx before any outbound request (checked against a local
 * server that counts requests, listening where an attacker would point us).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { startArxivApiStub, RECORDED_ID, type ArxivApiStub } from './testing/arxiv-api.stub.js';
import { addPapers, createHarness, paperRecord, signedInMember, type Harness, type SignedInMember } from './testing/member-harness.js';

let stub: ArxivApiStub;
beforeAll(async () => {
  stub = await startArxivApiStub();
});
afterAll(async () => {
  await stub.close();
});

const today = () => new Date().toISOString().slice(0, 10);

describe.each(enabledDialects())('submitting papers on %s', (dialect) => {
  let h: Harness;
  let m: SignedInMember;
  beforeEach(async () => {
    stub.requests.length = 0;
    h = await createHarness(dialect, { extraAllowedHosts: [stub.host], members: { arxivApiUrl: stub.baseUrl, submissionsPerDay: 3 } });
    m = await signedInMember(h, 'ada@example.org');
    await h.app.services.members.updateProfile(m.user, { displayName: 'Ada Lovelace', handle: 'ada' });
  });
  afterEach(async () => {
    await h.close();
  });

  const submit = (arxiv: string) => m.client.post('/submit', { _csrf: m.csrf, arxiv });

  it('refuses loopback, foreign hosts and malformed ids with a clear 4xx and no outbound request', async () => {
    const refused = [
      `http://127.0.0.1/abs/2401.00001`,
      `http://${stub.host}/abs/2401.00001`,
      `http://${stub.host}/api/query?id_list=${RECORDED_ID}`,
      `http://localhost/abs/2401.00001`,
      `http://[::1]/abs/2401.00001`,
      `http://2130706433/abs/2401.00001`,
      `http://0x7f.0.0.1/abs/2401.00001`,
      `http://169.254.169.254/latest/meta-data/`,
      `https://evil.example/abs/2401.00001`,
      `https://arxiv.org.evil.example/abs/2401.00001`,
      `https://arxiv.org@127.0.0.1/abs/2401.00001`,
      `https://user:pass@arxiv.org/abs/2401.00001`,
      `https://arxiv.org:8080/abs/2401.00001`,
      `file:///etc/passwd`,
      `gopher://arxiv.org/abs/2401.00001`,
      `javascript:alert(1)`,
      `https://arxiv.org/list/cs.LG/recent`,
      `https://arxiv.org/abs/../../etc/passwd`,
      `not a paper`,
      `2401.999999`,
      `2413.00001`,
      `2401.00001v`,
      `arXiv:`,
      `math/061191`,
      `2401.00001 ${'x'.repeat(400)}`,
      ``,
      // A malformed percent-escape once reached decodeURIComponent and answered 500.
      `https://arxiv.org/abs/%`,
      `https://arxiv.org/abs/2401.0000%E0%A4%A`,
    ];
    for (const input of refused) {
      const res = await submit(input);
      const body = await res.text();
      expect({ input, status: res.status }).toEqual({ input, status: 400 });
      expect(body).toMatch(/not an arXiv id|Only arxiv\.org links are accepted|does not point to an arXiv paper|is empty|too long|not a valid URL|malformed percent-escape/);
    }
    expect(stub.requests).toEqual([]);
    expect(await h.db.kysely.selectFrom('daily_entries').selectAll().execute()).toEqual([]);
    // The discussion route reads the same references from its path.
    const discuss = await m.client.get('/discuss/https:%2F%2Farxiv.org%2Fabs%2F%25', { accept: 'application/json' });
    expect(discuss.status).toBe(400);
    expect(((await discuss.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('percent-escape') });
  });

  it('fetches an unknown paper from the arXiv API and puts it on today\'s feed with the submitter', async () => {
    const res = await submit(`https://arxiv.org/pdf/${RECORDED_ID}v1.pdf`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/discuss/${RECORDED_ID}?submitted=1`);
    expect(stub.requests).toEqual([`/api/query?id_list=${RECORDED_ID}&max_results=1`]);

    const paper = await h.app.services.findPaper(RECORDED_ID);
    expect(paper?.title).toContain('Inelastic effects in molecular transport junctions');
    const entries = await h.app.services.members.dailyEntries({ from: today(), to: today() });
    expect(entries).toEqual([{ arxivId: RECORDED_ID, day: today(), submittedAt: expect.any(String), submitter: { handle: 'ada', displayName: 'Ada Lovelace' } }]);
    const page = await (await m.client.get(`/discuss/${RECORDED_ID}?submitted=1`)).text();
    expect(page).toContain('on today');

    // Once on the feed, never twice; the stored paper needs no second fetch.
    const again = await submit(`arXiv:${RECORDED_ID}v2`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(`already on the feed of ${today()}`);
    expect(stub.requests).toHaveLength(1);
  });

  it('uses the store for known papers, accepts every id form, and says when arXiv has no such paper', async () => {
    const missing = await submit('2402.12345');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('arXiv has no paper 2402.12345');
    expect(stub.requests).toEqual(['/api/query?id_list=2402.12345&max_results=1']);

    await addPapers(h, paperRecord('2401.00001'), paperRecord('math/0611918'), paperRecord('math.GT/0309136'));
    expect((await submit('https://arxiv.org/abs/2401.00001v3')).status).toBe(303);
    expect((await submit('http://export.arxiv.org/abs/math/0611918')).status).toBe(303);
    expect((await submit(' math.GT/0309136 ')).status).toBe(303);
    expect(stub.requests).toHaveLength(1);
    expect((await h.app.services.members.dailyEntries({ from: today(), to: today() })).map((e) => e.arxivId).sort()).toEqual(['2401.00001', 'math.GT/0309136', 'math/0611918']);
  });

  it('enforces the daily submission limit with 429 and Retry-After until the next UTC day', async () => {
    await addPapers(h, paperRecord('2401.00001'), paperRecord('2401.00002'), paperRecord('2401.00003'), paperRecord('2401.00004'));
    for (const id of ['2401.00001', '2401.00002', '2401.00003']) expect((await submit(id)).status).toBe(303);
    const res = await submit('2401.00004');
    expect(res.status).toBe(429);
    const retry = Number(res.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(86_400);
    expect(await res.text()).toContain('daily limit');
  });

  it('keeps the daily limit exact under concurrent submissions', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `2401.1000${i}`);
    await addPapers(h, ...ids.map((id) => paperRecord(id)));
    const statuses = (await Promise.all(ids.map((id) => submit(id)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect(await h.db.kysely.selectFrom('daily_entries').selectAll().execute()).toHaveLength(3);
  });

  it('sends anonymous visitors to sign in', async () => {
    const res = await h.web.request('http://localhost/submit', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin?next=%2Fsubmit');
  });
});
