/**
 * The digest lists and schedules, over HTTP with a real SMTP server on
 * loopback, on every enabled dialect: a member's "for you" digest on a chosen weekday (composed
 * by the recommender, sent to the member's own address, skipped when there is nothing to learn
 * from), the signup box embedded in the home and search pages, and the weekday in preferences.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { csrfFrom, signedInMember, TestClient } from '../members/testing/member-harness.js';
import { CONFIRM_MAILS_PER_ADDRESS_PER_DAY } from '../../services/digests/subscription.service.js';
import { addDailyPapers, addPapers, createDigestHarness, linkPath, paper, type DigestHarness } from './testing/digest-harness.js';

const HOUR = 3_600_000;

const cardiac = (id: string, publishedAt: string, n: number) =>
  paper(id, publishedAt, { title: `Cardiac MRI segmentation of the left ventricle ${n}`, abstract: 'A convolutional network segments the left ventricle and the myocardium in cardiac magnetic resonance images of the heart.' });

async function confirmFromMail(h: DigestHarness, index: number): Promise<string> {
  const mail = await h.sink.parse(h.sink.messages[index]!);
  const confirmPath = linkPath(mail.text ?? '', 'confirm');
  const reader = new TestClient(h.web);
  const page = await reader.get(confirmPath);
  const confirmed = await reader.post(confirmPath, { _csrf: csrfFrom(await page.text()) });
  expect(confirmed.status).toBe(200);
  return linkPath(mail.text ?? '', 'confirm').replace('/digest/confirm/', '');
}

describe.each(enabledDialects())('digest lists and weekdays on %s', (dialect) => {
  let h: DigestHarness;
  beforeEach(async () => {
    // Friday 2024-03-29.
    h = await createDigestHarness(dialect, { start: '2024-03-29T12:00:00Z' });
    await addDailyPapers(h, '2024-03-27', '2024-04-05');
    await addPapers(h, [cardiac('2403.01001', '2024-03-01T09:00:00Z', 1), cardiac('2403.01002', '2024-03-02T09:00:00Z', 2), cardiac('2403.28901', '2024-03-28T09:00:00Z', 3), cardiac('2404.01901', '2024-04-01T09:00:00Z', 4), cardiac('2404.04901', '2024-04-04T09:00:00Z', 5)]);
  });
  afterEach(async () => {
    await h.close();
  });

  it('sends a member their "for you" digest on their weekday, learned from their upvotes, and skips a member with none', async () => {
    const ada = await signedInMember(h, 'ada@example.org');
    await h.app.services.members.setUpvote(ada.user, '2403.01001', true);
    await h.app.services.members.saveToLibrary(ada.user, '2403.01002');
    const bob = await signedInMember(h, 'bob@example.org');

    // Anonymous visitors cannot ask for a "for you" digest.
    const anonymous = await new TestClient(h.web).post('/digest/subscribe', { email: 'eve@example.org', list: 'for-you', frequency: 'daily', hour: '8', timeZone: 'UTC' });
    expect(anonymous.status).toBe(400);
    expect(await anonymous.text()).toContain('Sign in to get papers picked for you.');

    // The form on the subscribe page offers it to members; whatever address is typed, it goes to the member's.
    expect(await (await ada.client.get('/digest/subscribe?list=for-you')).text()).toContain('value="for-you" checked');
    const subscribed = await ada.client.post('/digest/subscribe', { _csrf: ada.csrf, list: 'for-you', email: 'mallory@example.org', frequency: 'weekly', weekday: '3', hour: '7', timeZone: 'Europe/Berlin' });
    expect(subscribed.status).toBe(200);
    expect((await bob.client.post('/digest/subscribe', { _csrf: bob.csrf, list: 'for-you', frequency: 'daily', hour: '7', timeZone: 'Europe/Berlin' })).status).toBe(200);
    await h.app.services.digests.sendQueued();
    expect(h.sink.messages.map((m) => m.to)).toEqual([['ada@example.org'], ['bob@example.org']]);
    expect((await h.sink.parse(h.sink.messages[0]!)).text).toContain('Every Wednesday at 07:00 (Europe/Berlin)');
    await confirmFromMail(h, 0);
    await confirmFromMail(h, 1);

    // Hour by hour to Thursday: Bob's daily digests are empty (nothing to learn from) and skipped;
    // Ada's arrives once, on Wednesday 07:00 CEST.
    const arrivals: string[] = [];
    while (h.now() < new Date('2024-04-04T12:00:00Z')) {
      h.advance(HOUR);
      const before = h.sink.count();
      await h.app.services.digests.run({ trigger: 'test' });
      if (h.sink.count() > before) arrivals.push(h.now().toISOString());
    }
    expect(arrivals).toEqual(['2024-04-03T05:00:00.000Z']);
    const digest = await h.sink.parse(h.sink.messages.at(-1)!);
    expect(h.sink.messages.at(-1)!.to).toEqual(['ada@example.org']);
    expect(digest.subject).toMatch(/^Papers picked for you — week of 2024-04-03 \(\d+ papers\)$/);
    const text = digest.text ?? '';
    // The week before the Wednesday (03-27..04-02): both cardiac papers of that week lead; the
    // upvoted and saved ones and the one from 04-04 are not there.
    const first = text.indexOf('Cardiac MRI segmentation of the left ventricle 3');
    const second = text.indexOf('Cardiac MRI segmentation of the left ventricle 4');
    expect(first).toBeGreaterThan(-1);
    expect(second).toBeGreaterThan(-1);
    expect(Math.max(first, second)).toBeLessThan(text.indexOf('Day 2024-'));
    for (const absent of [' 1\n', ' 2\n', ' 5']) expect(text).not.toContain(`Cardiac MRI segmentation of the left ventricle${absent}`);
    expect(text).toContain('Papers published 2024-03-27 to 2024-04-02.');
  });

  it('embeds the signup in the home and search pages; an anonymous signup from them needs no token, a cross-site one is refused', async () => {
    const visitor = new TestClient(h.web);
    const home = await visitor.get('/');
    expect(home.status).toBe(200);
    const homeHtml = await home.text();
    expect(homeHtml).toContain('Get trending papers by email');
    expect(homeHtml).toMatch(/<input type="hidden" name="list" value="trending"\/?>/);
    expect(homeHtml).toContain('/assets/digest-form.js');
    // Cacheable for every anonymous reader: no per-visitor token, no cookie.
    expect(homeHtml).not.toContain('name="_csrf"');
    expect(home.headers.get('set-cookie')).toBeNull();
    expect((await visitor.get('/assets/digest-form.js')).status).toBe(200);

    const search = await (await visitor.get('/search?q=graphs')).text();
    expect(search).toMatch(/<input type="hidden" name="list" value="topic"\/?>/);
    expect(search).toMatch(/<input type="hidden" name="topic" value="graphs"\/?>/);

    const crossSite = await new TestClient(h.web, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', accept: 'text/html' }).post('/digest/subscribe', { email: 'victim@example.org', list: 'trending' });
    expect(crossSite.status).toBe(403);
    const member = await signedInMember(h, 'member@example.org');
    expect((await member.client.post('/digest/subscribe', { email: 'member@example.org', list: 'trending' })).status).toBe(403);

    const ok = await visitor.post('/digest/subscribe', { email: 'reader@example.org', list: 'trending', frequency: 'weekly', weekday: '5', hour: '9', timeZone: 'America/New_York' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Check your inbox');
    await h.app.services.digests.sendQueued();
    expect(h.sink.messages.map((m) => m.to)).toEqual([['reader@example.org']]);
    expect((await h.sink.parse(h.sink.messages[0]!)).text).toContain('Every Friday at 09:00 (America/New_York)');
  });

  it('mails one address at most CONFIRM_MAILS_PER_ADDRESS_PER_DAY confirmations a day, whatever the topics, with the same answer past the cap', async () => {
    const visitor = new TestClient(h.web);
    const topics = ['graphs', 'cardiac imaging', 'sparse coding', 'protein folding', 'quantum codes', 'robot grasping', 'music transcription'];
    expect(topics.length).toBeGreaterThan(CONFIRM_MAILS_PER_ADDRESS_PER_DAY);
    const answers: string[] = [];
    for (const topic of topics) {
      const res = await visitor.post('/digest/subscribe', { email: 'stranger@example.org', list: 'topic', topic });
      expect(res.status).toBe(200);
      answers.push(await res.text());
    }
    expect((await visitor.post('/digest/subscribe', { email: 'other@example.org', list: 'topic', topic: 'graphs' })).status).toBe(200);
    await h.app.services.digests.sendQueued();
    const to = h.sink.messages.map((m) => m.to[0]);
    expect(to.filter((a) => a === 'stranger@example.org')).toHaveLength(CONFIRM_MAILS_PER_ADDRESS_PER_DAY);
    expect(to.filter((a) => a === 'other@example.org')).toHaveLength(1);
    // Past the cap the page says what it said before: "check your inbox".
    expect(answers.at(-1)).toContain('Check your inbox');
    // A day later the address can be mailed again.
    h.advance(25 * HOUR);
    await visitor.post('/digest/subscribe', { email: 'stranger@example.org', list: 'topic', topic: 'graphs' });
    await h.app.services.digests.sendQueued();
    expect(h.sink.messages.map((m) => m.to[0]).filter((a) => a === 'stranger@example.org')).toHaveLength(CONFIRM_MAILS_PER_ADDRESS_PER_DAY + 1);
  });

  it('lets a subscriber move a weekly digest to another weekday on the preferences page', async () => {
    const visitor = new TestClient(h.web);
    await visitor.post('/digest/subscribe', { email: 'reader@example.org', list: 'topic', topic: 'graphs', frequency: 'weekly', hour: '9', timeZone: 'America/New_York' });
    await h.app.services.digests.sendQueued();
    await confirmFromMail(h, 0);
    h.advance(HOUR);
    await h.app.services.digests.run({ trigger: 'test' });
    // Monday by default, from the first period after confirming (Monday 2024-04-01, 09:00 EDT).
    const run = await h.app.services.digests.run({ trigger: 'test', at: new Date('2024-04-01T13:00:00Z') });
    expect(run.sent).toBe(1);
    const prefsPath = linkPath((await h.sink.parse(h.sink.messages.at(-1)!)).text ?? '', 'preferences');

    const reader = new TestClient(h.web);
    const prefs = await (await reader.get(prefsPath)).text();
    expect(prefs).toContain('every Monday at 09:00 (America/New_York)');
    expect(prefs).toMatch(/<option value="1" selected="">Monday<\/option>/);
    const bad = await reader.post(prefsPath, { _csrf: csrfFrom(prefs), frequency: 'weekly', weekday: '9', hour: '9', timeZone: 'America/New_York' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Choose a day of the week.');
    const saved = await reader.post(prefsPath, { _csrf: csrfFrom(prefs), frequency: 'weekly', weekday: '4', hour: '9', timeZone: 'America/New_York' });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('every Thursday at 09:00 (America/New_York)');

    // Already sent this ISO week (on Monday): the next digest is the following week's Thursday.
    h.setNow('2024-04-01T14:00:00Z');
    const before = h.sink.count();
    for (const at of ['2024-04-04T13:30:00Z', '2024-04-11T12:30:00Z', '2024-04-11T13:30:00Z']) {
      await h.app.services.digests.run({ trigger: 'test', at: new Date(at) });
      if (at === '2024-04-11T12:30:00Z') expect(h.sink.count()).toBe(before);
    }
    expect(h.sink.count()).toBe(before + 1);
    expect((await h.sink.parse(h.sink.messages.at(-1)!)).subject).toContain('week of 2024-04-11');
  });
});
