/**
 * Upvotes over HTTP on every dialect: concurrent requests from one member converge on one vote,
 * concurrent members each count, toggling works with JSON (script) and with a plain form post.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { addPapers, createHarness, paperRecord, signedInMember, type Harness } from './testing/member-harness.js';

const json = { accept: 'application/json' };

describe.each(enabledDialects())('upvotes on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect, { members: { limits: { votesPerMinute: 1000 } } });
    await addPapers(h, paperRecord('2401.00001'), paperRecord('math/0611918'));
  });
  afterEach(async () => {
    await h.close();
  });

  async function storedVotes(): Promise<number> {
    const row = await h.db.kysely.selectFrom('votes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('50 concurrent upvote requests from one member make exactly one vote', async () => {
    const m = await signedInMember(h, 'ada@example.org');
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => m.client.post('/papers/2401.00001/upvote', { _csrf: m.csrf, value: '1' }, { ...json, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { upvotes: number; upvoted: boolean }[];
    expect(bodies.every((b) => b.upvoted && b.upvotes === 1)).toBe(true);
    expect(await storedVotes()).toBe(1);
  });

  it('50 members upvoting at once make exactly 50 votes', async () => {
    const members = [];
    for (let i = 0; i < 50; i++) members.push(await signedInMember(h, `reader${i}@example.org`));
    const responses = await Promise.all(members.map((m) => m.client.post('/papers/2401.00001/upvote', { _csrf: m.csrf, value: '1' }, { ...json, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' })));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(await storedVotes()).toBe(50);
    const state = await h.app.services.members.voteState(null, '2401.00001');
    expect(state.upvotes).toBe(50);
  });

  it('toggles with JSON and with a plain form post that redirects back', async () => {
    const m = await signedInMember(h, 'ada@example.org');
    const up = await m.client.post('/papers/math/0611918/upvote', { _csrf: m.csrf, value: '1' }, json);
    expect(await up.json()).toEqual({ arxivId: 'math/0611918', upvotes: 1, upvoted: true });
    const down = await m.client.post('/papers/math/0611918/upvote', { _csrf: m.csrf, value: '0' }, json);
    expect(await down.json()).toEqual({ arxivId: 'math/0611918', upvotes: 0, upvoted: false });

    const form = await m.client.post('/papers/2401.00001/upvote', { _csrf: m.csrf, value: '1' }, { referer: 'http://localhost/discuss/2401.00001' });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/discuss/2401.00001');
    const page = await (await m.client.get('/discuss/2401.00001')).text();
    expect(page).toContain('aria-pressed="true"');
    expect(page).toContain(`data-upvote-count="true">1<`);
  });

  it('asks anonymous visitors to sign in and refuses unknown papers', async () => {
    const m = await signedInMember(h, 'ada@example.org');
    const missing = await m.client.post('/papers/2402.99999/upvote', { _csrf: m.csrf, value: '1' }, json);
    expect(missing.status).toBe(404);
    const bad = await m.client.post('/papers/not-an-id/upvote', { _csrf: m.csrf, value: '1' }, json);
    expect(bad.status).toBe(400);
  });
});
