/**
 * The digest journey over HTTP with a real SMTP server on loopback, on every enabled dialect:
 * subscribe -> confirm -> time passes (across a daylight-saving change) -> exactly one digest per
 * period with both parts and the RFC 8058 headers -> one-click unsubscribe -> no more mail.
 */
import type { ParsedMail } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { csrfFrom, TestClient } from '../members/testing/member-harness.js';
import { addDailyPapers, createDigestHarness, linkPath, type DigestHarness } from './testing/digest-harness.js';

const HOUR = 3_600_000;

function header(mail: ParsedMail, key: string): string {
  return mail.headerLines.find((h) => h.key === key)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ') ?? '';
}

/** Runs the scheduled job at every tick until `untilIso`; returns the ticks at which mail arrived. */
async function runTicksUntil(h: DigestHarness, untilIso: string, stepMs = 30 * 60_000): Promise<string[]> {
  const arrivals: string[] = [];
  while (h.now() < new Date(untilIso)) {
    h.advance(stepMs);
    const before = h.sink.count();
    await h.app.services.digests.run({ trigger: 'test' });
    if (h.sink.count() > before) arrivals.push(h.now().toISOString());
  }
  return arrivals;
}

describe.each(enabledDialects())('digests over HTTP and SMTP on %s', (dialect) => {
  let h: DigestHarness;
  beforeEach(async () => {
    h = await createDigestHarness(dialect, { start: '2024-03-29T12:00:00Z' });
    await addDailyPapers(h, '2024-03-27', '2024-04-05');
  });
  afterEach(async () => {
    await h.close();
  });

  it('subscribe, confirm, one digest per period with both parts and RFC 8058 headers, one-click unsubscribe, then silence', async () => {
    const browser = new TestClient(h.web);
    const form = await browser.get('/digest/subscribe');
    expect(form.status).toBe(200);
    const subscribed = await browser.post('/digest/subscribe', { _csrf: csrfFrom(await form.text()), email: 'Ada@Example.org', list: 'trending', frequency: 'daily', hour: '8', timeZone: 'Europe/Berlin' });
    expect(subscribed.status).toBe(200);
    expect(await subscribed.text()).toContain('Check your inbox');

    // Double opt-in: only the confirmation mail goes out, and no digest before the click.
    await h.app.services.digests.sendQueued();
    expect(h.sink.count()).toBe(1);
    const confirmation = await h.sink.parse(h.sink.messages[0]!);
    expect(confirmation.subject).toContain('Confirm');
    expect(h.sink.messages[0]!.to).toEqual(['ada@example.org']);
    h.advance(HOUR);
    expect((await h.app.services.digests.run({ trigger: 'test' })).enqueued).toBe(0);

    // The link from the mail: GET shows a button and changes nothing; POST confirms.
    const confirmPath = linkPath(confirmation.text ?? '', 'confirm');
    const reader = new TestClient(h.web);
    const page = await reader.get(confirmPath);
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).toContain('Yes, start sending');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect((await h.app.services.digests.inspectLink('confirm', confirmPath.split('/').pop()!)).status).toBe('pending');
    const confirmed = await reader.post(confirmPath, { _csrf: csrfFrom(pageHtml) });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('You are subscribed');

    // Three days pass, across the switch to summer time in Berlin (2024-03-31).
    const arrivals = await runTicksUntil(h, '2024-04-01T12:00:00Z');
    // 08:00 CET = 07:00Z, then 08:00 CEST = 06:00Z.
    expect(arrivals).toEqual(['2024-03-30T07:00:00.000Z', '2024-03-31T06:00:00.000Z', '2024-04-01T06:00:00.000Z']);
    expect(h.sink.count()).toBe(4);
    const digests = await Promise.all(h.sink.messages.slice(1).map((m) => h.sink.parse(m)));
    expect(digests.map((d) => d.subject)).toEqual([
      'Trending papers — 2024-03-30 (3 papers)',
      'Trending papers — 2024-03-31 (3 papers)',
      'Trending papers — 2024-04-01 (3 papers)',
    ]);
    for (const [i, d] of digests.entries()) {
      const day = ['2024-03-29', '2024-03-30', '2024-03-31'][i]!;
      expect(d.text).toContain(`Day ${day}: O(n²) graphs`);
      expect(d.text).toContain('We study α-stable things in ℝⁿ.');
      expect(d.html).toContain(`Day ${day}: O(n²) graphs`);
      expect(d.html).toContain('Kurt Gödel');
      expect(header(d, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(header(d, 'list-unsubscribe')).toMatch(/^<http:\/\/localhost\/digest\/unsubscribe\/[A-Za-z0-9_.-]+>, <mailto:digest@papers\.example\.org\?subject=unsubscribe%20[A-Za-z0-9_.-]+>$/);
      expect(d.messageId).toMatch(new RegExp(`^<digest\\.d-${['2024-03-30', '2024-03-31', '2024-04-01'][i]}\\.[A-Za-z0-9_-]{22}@papers\\.example\\.org>$`));
    }

    // Running the job again in the same period sends nothing.
    await h.app.services.digests.run({ trigger: 'test' });
    expect(h.sink.count()).toBe(4);

    // The unsubscribe link: GET (what a link scanner does) changes nothing.
    const unsubscribeUrl = /<(http:\/\/localhost\/digest\/unsubscribe\/[^>]+)>/.exec(header(digests[2]!, 'list-unsubscribe'))![1]!;
    const unsubscribePath = unsubscribeUrl.slice('http://localhost'.length);
    const scanned = await new TestClient(h.web).get(unsubscribePath);
    expect(scanned.status).toBe(200);
    expect(await scanned.text()).toContain('Stop sending');
    expect((await h.app.services.digests.inspectLink('unsubscribe', unsubscribePath.split('/').pop()!)).status).toBe('confirmed');

    // A forged token is refused even though one-click posts skip the CSRF checks.
    const forged = await h.web.request(`${unsubscribeUrl.slice(0, -3)}abc`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.status).toBeLessThan(500);
    expect((await h.app.services.digests.inspectLink('unsubscribe', unsubscribePath.split('/').pop()!)).status).toBe('confirmed');

    // RFC 8058 one-click: no cookie, no CSRF token; here posted by webmail in a browser, so with a
    // foreign Origin (a mail provider's server sends none; both must work).
    const oneClick = await h.web.request(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.com', 'sec-fetch-site': 'cross-site' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect((await h.app.services.digests.inspectLink('unsubscribe', unsubscribePath.split('/').pop()!)).status).toBe('unsubscribed');

    // No further mail.
    await runTicksUntil(h, '2024-04-04T12:00:00Z', HOUR);
    expect(h.sink.count()).toBe(4);
    const runs = await h.app.services.digests.recentRuns(200);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(3);
  });

  it('changes preferences from the link in a digest, and refuses forged links', async () => {
    const browser = new TestClient(h.web);
    const form = await browser.get('/digest/subscribe?list=topic&topic=graphs');
    expect(await form.clone().text()).toContain('value="graphs"');
    await browser.post('/digest/subscribe', { _csrf: csrfFrom(await form.text()), email: 'bob@example.org', list: 'topic', topic: 'graphs', frequency: 'daily', hour: '7', timeZone: 'America/New_York' });
    await h.app.services.digests.sendQueued();
    const confirmPath = linkPath((await h.sink.parse(h.sink.messages[0]!)).text ?? '', 'confirm');
    const reader = new TestClient(h.web);
    await reader.post(confirmPath, { _csrf: csrfFrom(await (await reader.get(confirmPath)).text()) });

    await runTicksUntil(h, '2024-03-30T12:00:00Z');
    expect(h.sink.count()).toBe(2);
    const digest = await h.sink.parse(h.sink.messages[1]!);
    expect(digest.subject).toBe('Papers on “graphs” — 2024-03-30 (1 paper)');

    const prefsPath = linkPath(digest.text ?? '', 'preferences');
    const prefs = await reader.get(prefsPath);
    const prefsHtml = await prefs.text();
    expect(prefsHtml).toContain('America/New_York');
    const bad = await reader.post(prefsPath, { _csrf: csrfFrom(prefsHtml), frequency: 'weekly', hour: '25', timeZone: 'America/New_York' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('between 0 and 23');
    const saved = await reader.post(prefsPath, { _csrf: csrfFrom(prefsHtml), frequency: 'weekly', hour: '6', timeZone: 'Europe/Berlin' });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('every Monday at 06:00 (Europe/Berlin)');

    // Weekly from now on: the next one is Monday 2024-04-01 06:00 CEST, covering the week before (papers exist from 03-27 on).
    const arrivals = await runTicksUntil(h, '2024-04-05T00:00:00Z');
    expect(arrivals).toEqual(['2024-04-01T04:00:00.000Z']);
    expect((await h.sink.parse(h.sink.messages[2]!)).subject).toBe('Papers on “graphs” — week of 2024-04-01 (5 papers)');

    // Forged and truncated tokens.
    const token = prefsPath.split('/').pop()!;
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await reader.get(`/digest/preferences/${forged}`)).status).toBe(400);
    expect((await reader.get(`/digest/unsubscribe/${token}x`)).status).toBe(400);
    // A preferences token is not a confirmation token.
    expect((await reader.get(`/digest/confirm/${token}`)).status).toBe(400);
  });

  it('lists what the site shows: upvotes from members reorder the trending digest', async () => {
    const { user: ada } = await h.app.services.members.createMember({ email: 'ada@members.example.org', admin: false });
    const { user: bob } = await h.app.services.members.createMember({ email: 'bob@members.example.org', admin: false });
    // The day's oldest paper gets two upvotes, the middle one one.
    await h.app.services.members.setUpvote(ada, '2403.29001', true);
    await h.app.services.members.setUpvote(bob, '2403.29001', true);
    await h.app.services.members.setUpvote(ada, '2403.29002', true);
    const preview = await h.app.services.digests.preview({ list: { kind: 'trending' }, date: '2024-03-30' });
    const order = [...(preview?.text ?? '').matchAll(/^\d+\. (.+)$/gm)].map((m) => m[1]);
    expect(order).toEqual(['Day 2024-03-29: O(n²) graphs', 'Day 2024-03-29 paper 2', 'Day 2024-03-29 paper 3']);
    expect(preview?.text).toContain('▲ 2');
  });

  it('validates the subscribe form field by field', async () => {
    const browser = new TestClient(h.web);
    const form = await browser.get('/digest/subscribe');
    const res = await browser.post('/digest/subscribe', { _csrf: csrfFrom(await form.text()), email: 'not-an-address', list: 'topic', topic: '', frequency: 'daily', hour: '8', timeZone: 'Mars/Base' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Enter a valid email address.');
    expect(html).toContain('A topic digest needs a search query.');
    expect(html).toContain('Unknown time zone');
    await h.app.services.digests.sendQueued();
    expect(h.sink.count()).toBe(0);
  });

  it('shows recent runs to an administrator only', async () => {
    await h.app.services.digests.run({ trigger: 'test' });
    expect((await new TestClient(h.web).get('/admin/digests')).status).toBe(403);
    // Without DIGEST_ADMIN_TOKEN a bearer token opens nothing.
    expect((await new TestClient(h.web).get('/admin/digests', { authorization: 'Bearer anything-at-all-here' })).status).toBe(403);
  });
});

describe.each(enabledDialects())('the digest admin page on %s', (dialect) => {
  it('lists runs for the configured bearer token', async () => {
    const h = await createDigestHarness(dialect, { start: '2024-06-10T08:00:00Z', digest: { adminToken: 'admin-token-0123456789' } });
    try {
      await h.app.services.digests.run({ trigger: 'schedule' });
      const page = await new TestClient(h.web).get('/admin/digests', { authorization: 'Bearer admin-token-0123456789' });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<td>schedule</td>');
      expect(html).toContain('Subscriptions: pending 0');
      expect((await new TestClient(h.web).get('/admin/digests', { authorization: 'Bearer admin-token-wrong-guess' })).status).toBe(403);
    } finally {
      await h.close();
    }
  });
});
