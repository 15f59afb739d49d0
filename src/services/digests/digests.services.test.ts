/**
 * Sending under failure, on every enabled dialect, with a real SMTP server on loopback: bounces,
 * temporary refusals, unreachable servers, an unsubscribe racing the hand-off, two workers at
 * once, empty and topic digests, votes, and daylight-saving changes in Berlin and New York.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Schedule } from '../../domain/digest-period.js';
import type { DigestList } from '../../domain/subscription.js';
import { listKey } from '../../domain/subscription.js';
import { createSmtpSender, type MailSender } from '../../mail/smtp.transport.js';
import { countDeliveriesByStatus, listDeliveriesForSubscription } from '../../store/delivery.repository.js';
import { confirmSubscription, findSubscriptionByPublicKey, insertSubscriptionIfAbsent, type StoredSubscription } from '../../store/subscription.repository.js';
import { enabledDialects } from '../../store/testing/test-database.js';
import { addDailyPapers, createDigestHarness, type DigestHarness } from '../../web/digest/testing/digest-harness.js';
import { firstPeriodAfter } from '../../domain/digest-period.js';

const daily = (timeZone = 'UTC', localHour = 8): Schedule => ({ frequency: 'daily', localHour, timeZone });

async function subscriber(h: DigestHarness, email: string, schedule: Schedule = daily(), list: DigestList = { kind: 'trending' }): Promise<StoredSubscription> {
  const now = h.now().toISOString();
  const { subscription } = await insertSubscriptionIfAbsent(h.db.kysely, { publicKey: randomBytes(16).toString('base64url'), email, listKey: listKey(list), list, schedule }, now);
  const confirmed = await confirmSubscription(h.db.kysely, subscription.publicKey, firstPeriodAfter(schedule, h.now()).dueAt.toISOString(), now);
  return confirmed!;
}

async function runUntil(h: DigestHarness, untilIso: string, stepMs = 30 * 60_000): Promise<void> {
  while (h.now() < new Date(untilIso)) {
    h.advance(stepMs);
    await h.app.services.digests.run({ trigger: 'test' });
  }
}

describe.each(enabledDialects())('sending digests on %s', (dialect) => {
  let h: DigestHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('bounces permanent refusals, retries temporary ones, and sends each digest once', async () => {
    const refusedOnce = new Set<string>();
    h = await createDigestHarness(dialect, {
      start: '2024-06-09T12:00:00Z',
      sink: {
        onRcpt: (a) => (a.startsWith('gone@') ? { code: 550, message: '5.1.1 No such user' } : a.startsWith('busy@') && !refusedOnce.has(a) ? (refusedOnce.add(a), { code: 451, message: '4.7.1 Greylisted' }) : null),
        onData: (m) => (m.to[0]!.startsWith('spam@') ? { code: 554, message: '5.7.1 Rejected' } : m.to[0]!.startsWith('flaky@') && !refusedOnce.has(m.to[0]!) ? (refusedOnce.add(m.to[0]!), { code: 452, message: '4.3.1 Out of space' }) : null),
      },
    });
    await addDailyPapers(h, '2024-06-08', '2024-06-12');
    for (const name of ['ok', 'gone', 'busy', 'spam', 'flaky']) await subscriber(h, `${name}@example.org`);

    h.setNow('2024-06-10T08:00:00Z');
    const first = await h.app.services.digests.run({ trigger: 'test' });
    expect(first).toMatchObject({ enqueued: 5, sent: 1, bounced: 2, retried: 2, failed: 0, inDoubt: 0 });
    expect((await findSubscriptionByPublicKey(h.db.kysely, (await subscriberKey(h, 'gone@example.org'))))?.status).toBe('bouncing');

    h.advance(30 * 60_000);
    expect(await h.app.services.digests.run({ trigger: 'test' })).toMatchObject({ enqueued: 0, sent: 2 });
    await runUntil(h, '2024-06-11T12:00:00Z');

    const counts = h.sink.countsByRecipient();
    expect(Object.fromEntries(counts)).toEqual({ 'ok@example.org': 2, 'busy@example.org': 2, 'flaky@example.org': 2 });
    expect(await countDeliveriesByStatus(h.db.kysely)).toMatchObject({ sent: 6, bounced: 2, pending: 0, sending: 0, failed: 0 });
  });

  it('stops a run when the SMTP server is unreachable and sends later', async () => {
    let sender: MailSender | undefined;
    let url = 'smtp://127.0.0.1:1';
    h = await createDigestHarness(dialect, {
      start: '2024-06-09T12:00:00Z',
      makeSender: () => {
        const real = () => (sender ??= createSmtpSender({ url, maxConnections: 2, ratePerSecond: 0 }));
        return { send: (...args) => real().send(...args), close: () => sender?.close() } satisfies MailSender;
      },
    });
    await addDailyPapers(h, '2024-06-08', '2024-06-10');
    for (let i = 0; i < 30; i++) await subscriber(h, `s${i}@example.org`);
    h.setNow('2024-06-10T08:00:00Z');
    const down = await h.app.services.digests.run({ trigger: 'test' });
    expect(down).toMatchObject({ enqueued: 30, sent: 0, stopped: 'smtp_unreachable' });
    expect(down.retried).toBeGreaterThan(0);

    sender?.close();
    sender = undefined;
    url = h.sink.url;
    h.advance(2 * 60_000);
    const up = await h.app.services.digests.run({ trigger: 'test' });
    expect(up.sent).toBe(30);
    expect(h.sink.countsByRecipient().size).toBe(30);
    expect([...h.sink.countsByRecipient().values()].every((n) => n === 1)).toBe(true);
  });

  it('sends nothing once the unsubscribe has committed, even to a delivery already being sent', async () => {
    let unsubscribeFirst: (() => Promise<void>) | undefined;
    h = await createDigestHarness(dialect, {
      start: '2024-06-09T12:00:00Z',
      makeSender: (url) => {
        const real = createSmtpSender({ url, maxConnections: 1, ratePerSecond: 0 });
        return {
          send: (envelope, message, messageId, release) =>
            real.send(envelope, message, messageId, (decide) => {
              // The person clicks "unsubscribe" while SMTP is already transferring the digest.
              void unsubscribeFirst!().then(() => release(decide));
            }),
          close: () => real.close(),
        };
      },
    });
    await addDailyPapers(h, '2024-06-08', '2024-06-10');
    const sub = await subscriber(h, 'late@example.org');
    const links = (await import('./digest-links.service.js')).createDigestLinks(h.app.config, h.app.config.digest.tokenSecrets);
    unsubscribeFirst = async () => {
      await h.app.services.digests.unsubscribe(links.unsubscribeUrl(sub.publicKey).split('/').pop()!);
    };
    h.setNow('2024-06-10T08:00:00Z');
    const run = await h.app.services.digests.run({ trigger: 'test' });
    expect(run).toMatchObject({ enqueued: 1, sent: 0 });
    expect(h.sink.count()).toBe(0);
    expect((await listDeliveriesForSubscription(h.db.kysely, sub.id)).map((d) => [d.status, d.skipReason])).toEqual([['skipped', 'unsubscribed']]);
  });

  it('lets two workers share the queue without sending anything twice', async () => {
    h = await createDigestHarness(dialect, { start: '2024-06-09T12:00:00Z', digest: { maxConnections: 3 } });
    await addDailyPapers(h, '2024-06-08', '2024-06-10');
    for (let i = 0; i < 120; i++) await subscriber(h, `w${i}@example.org`);
    h.setNow('2024-06-10T08:00:00Z');
    expect(await h.app.services.digests.enqueueDue()).toBe(120);
    const second = createSmtpSender({ url: h.sink.url, maxConnections: 3, ratePerSecond: 0 });
    const { createDigestService } = await import('./digests.services.js');
    const { siteDigestSources } = await import('./digest-sources.service.js');
    const sources = siteDigestSources({ reader: h.app.services.reader, recommendations: h.app.services.recommendations, db: h.db });
    const other = createDigestService({ config: h.app.config, db: h.db, logger: h.app.logger, clock: h.now, sender: second, ...sources });
    const [a, b] = await Promise.all([h.app.services.digests.sendQueued(), other.sendQueued()]);
    await other.close();
    expect(a.sent + b.sent).toBe(120);
    const counts = [...h.sink.countsByRecipient().values()];
    expect(counts).toHaveLength(120);
    expect(counts.every((n) => n === 1)).toBe(true);
  });

  it('skips empty digests, asks the search engine for topics and ranks trending by members\' upvotes', async () => {
    h = await createDigestHarness(dialect, { start: '2024-06-09T12:00:00Z' });
    await addDailyPapers(h, '2024-06-08', '2024-06-10');
    const { user } = await h.app.services.members.createMember({ email: 'voter@example.org', admin: false });
    await h.app.services.members.setUpvote(user, '2406.09002', true);
    await subscriber(h, 'trend@example.org');
    const empty = await subscriber(h, 'empty@example.org', daily(), { kind: 'topic', query: 'nothing matches this' });
    await subscriber(h, 'graphs@example.org', daily(), { kind: 'topic', query: 'graphs' });
    h.setNow('2024-06-10T08:00:00Z');
    const run = await h.app.services.digests.run({ trigger: 'test' });
    expect(run).toMatchObject({ enqueued: 3, sent: 2, skipped: 1 });
    expect((await listDeliveriesForSubscription(h.db.kysely, empty.id))[0]).toMatchObject({ status: 'skipped', skipReason: 'empty' });
    const byTo = new Map(await Promise.all(h.sink.messages.map(async (m) => [m.to[0]!, await h.sink.parse(m)] as const)));
    // The upvoted paper (the day's second) comes first, then the rest.
    const text = byTo.get('trend@example.org')!.text!;
    expect(text).toMatch(/^1\. Day 2024-06-09 paper 2$/m);
    expect(text).toContain('▲ 1');
    // Only the period's day is searched: one of the three days' "graphs" papers.
    expect(byTo.get('graphs@example.org')!.subject).toBe('Papers on “graphs” — 2024-06-10 (1 paper)');
  });
});

async function subscriberKey(h: DigestHarness, email: string): Promise<string> {
  const row = await h.db.kysely.withTables<{ subscriptions: { email: string; public_key: string } }>().selectFrom('subscriptions').select('public_key').where('email', '=', email).executeTakeFirstOrThrow();
  return row.public_key;
}

describe.each(enabledDialects())('daylight saving in the scheduler on %s', (dialect) => {
  let h: DigestHarness;
  afterEach(async () => {
    await h?.close();
  });

  // Windows chosen so each holds four due times, one of them on the transition day.
  for (const [zone, hour, from, to, firstDay] of [
    ['Europe/Berlin', 2, '2024-03-29T00:00:00Z', '2024-04-01T12:00:00Z', '2024-03-29'],
    ['Europe/Berlin', 2, '2024-10-24T12:00:00Z', '2024-10-28T12:00:00Z', '2024-10-25'],
    ['America/New_York', 2, '2024-03-08T12:00:00Z', '2024-03-12T12:00:00Z', '2024-03-09'],
    ['America/New_York', 1, '2024-11-01T12:00:00Z', '2024-11-05T12:00:00Z', '2024-11-02'],
  ] as const) {
    it(`${zone} at ${hour}:00 from ${from.slice(0, 10)}: one digest per local day, none skipped or doubled`, async () => {
      h = await createDigestHarness(dialect, { start: from });
      await addDailyPapers(h, '2024-03-01', '2024-03-12');
      await addDailyPapers(h, '2024-03-28', '2024-04-01');
      await addDailyPapers(h, '2024-10-23', '2024-10-28');
      await addDailyPapers(h, '2024-10-31', '2024-11-05');
      const sub = await subscriber(h, 'dst@example.org', daily(zone, hour));
      await runUntil(h, to, 15 * 60_000);
      const keys = (await listDeliveriesForSubscription(h.db.kysely, sub.id)).map((d) => d.periodKey);
      const expected = [0, 1, 2, 3].map((i) => `d:${new Date(Date.parse(`${firstDay}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10)}`);
      expect(keys).toEqual(expected);
      expect(h.sink.count()).toBe(4);
    });
  }
});
