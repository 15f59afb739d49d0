import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueDeliveries, listDeliveriesForSubscription } from './delivery.repository.js';
import {
  confirmSubscription,
  countSubscriptionsByStatus,
  findSubscriptionByPublicKey,
  insertSubscriptionIfAbsent,
  listDueSubscriptions,
  markEmailBouncing,
  restartSubscription,
  touchConfirmRequest,
  unsubscribe,
  updateSubscriptionSchedule,
} from './subscription.repository.js';
import { createTestDb, enabledDialects, type TestDb } from './testing/test-database.js';

const now = '2024-06-01T10:00:00.000Z';
const schedule = { frequency: 'daily' as const, localHour: 8, timeZone: 'Europe/Berlin' };

describe.each(enabledDialects())('subscription repository on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.destroy();
  });

  const add = (email: string, key = `key-${email.replace(/\W/g, '')}-0000`, listKey = 'trending') =>
    insertSubscriptionIfAbsent(db.kysely, { publicKey: key, email, listKey, list: { kind: 'trending' }, schedule }, now);

  it('keeps one subscription per address and list', async () => {
    const first = await add('ada@example.org');
    const again = await add('ada@example.org', 'another-key-0001');
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.subscription.publicKey).toBe(first.subscription.publicKey);
    const topic = await insertSubscriptionIfAbsent(db.kysely, { publicKey: 'topic-key-0002', email: 'ada@example.org', listKey: 'topic:graphs', list: { kind: 'topic', query: 'Graphs' }, schedule }, now);
    expect(topic.created).toBe(true);
    expect(topic.subscription.list).toEqual({ kind: 'topic', query: 'Graphs' });
  });

  it('confirms only pending subscriptions and schedules them', async () => {
    const { subscription } = await add('bob@example.org');
    const confirmed = await confirmSubscription(db.kysely, subscription.publicKey, '2024-06-02T06:00:00.000Z', now);
    expect(confirmed).toMatchObject({ status: 'confirmed', nextDueAt: '2024-06-02T06:00:00.000Z', confirmedAt: now });
    // Confirming twice is harmless.
    expect((await confirmSubscription(db.kysely, subscription.publicKey, '2030-01-01T00:00:00.000Z', now))?.nextDueAt).toBe('2024-06-02T06:00:00.000Z');
    await unsubscribe(db.kysely, subscription.publicKey, now);
    expect(await confirmSubscription(db.kysely, subscription.publicKey, '2024-06-02T06:00:00.000Z', now)).toBeNull();
    expect(await confirmSubscription(db.kysely, 'no-such-key-0000', '2024-06-02T06:00:00.000Z', now)).toBeNull();
  });

  it('lists due confirmed subscriptions and changes schedules', async () => {
    const a = (await add('a@example.org')).subscription;
    const b = (await add('b@example.org')).subscription;
    await add('c@example.org');
    await confirmSubscription(db.kysely, a.publicKey, '2024-06-02T06:00:00.000Z', now);
    await confirmSubscription(db.kysely, b.publicKey, '2024-06-03T06:00:00.000Z', now);
    expect((await listDueSubscriptions(db.kysely, '2024-06-02T06:00:00.000Z', 10)).map((s) => s.email)).toEqual(['a@example.org']);
    const changed = await updateSubscriptionSchedule(db.kysely, b.publicKey, { frequency: 'weekly', localHour: 7, timeZone: 'America/New_York' }, '2024-06-01T11:00:00.000Z', now);
    expect(changed).toMatchObject({ schedule: { frequency: 'weekly', localHour: 7, timeZone: 'America/New_York' }, nextDueAt: '2024-06-01T11:00:00.000Z' });
    expect((await listDueSubscriptions(db.kysely, '2024-06-02T06:00:00.000Z', 10)).map((s) => s.email)).toEqual(['b@example.org', 'a@example.org']);
  });

  it('unsubscribing cancels queued deliveries; bouncing stops every list of the address', async () => {
    const a = (await add('x@example.org')).subscription;
    const t = (await insertSubscriptionIfAbsent(db.kysely, { publicKey: 'topic-key-x000', email: 'x@example.org', listKey: 'topic:q', list: { kind: 'topic', query: 'q' }, schedule }, now)).subscription;
    await confirmSubscription(db.kysely, a.publicKey, now, now);
    await confirmSubscription(db.kysely, t.publicKey, now, now);
    await enqueueDeliveries(db.kysely, [{ subscriptionId: a.id, kind: 'digest', periodKey: 'd:2024-06-01', notBefore: now }, { subscriptionId: t.id, kind: 'digest', periodKey: 'd:2024-06-01', notBefore: now }], now);

    const gone = await unsubscribe(db.kysely, a.publicKey, now);
    expect(gone?.status).toBe('unsubscribed');
    expect((await listDeliveriesForSubscription(db.kysely, a.id)).map((d) => [d.status, d.skipReason])).toEqual([['skipped', 'unsubscribed']]);

    expect(await markEmailBouncing(db.kysely, 'x@example.org', '550 no such user', now)).toBe(1);
    expect((await findSubscriptionByPublicKey(db.kysely, t.publicKey))?.status).toBe('bouncing');
    expect((await listDeliveriesForSubscription(db.kysely, t.id))[0]?.skipReason).toBe('bouncing');
    expect(await countSubscriptionsByStatus(db.kysely)).toEqual({ pending: 0, confirmed: 0, unsubscribed: 1, bouncing: 1 });

    // Subscribing again restarts double opt-in.
    const restarted = await restartSubscription(db.kysely, a.id, { ...schedule, localHour: 6 }, now);
    expect(restarted).toMatchObject({ status: 'pending', schedule: { localHour: 6 }, nextDueAt: null });
  });

  it('throttles confirmation requests', async () => {
    const { subscription } = await add('t@example.org');
    expect(await touchConfirmRequest(db.kysely, subscription.id, now, '2024-06-01T09:50:00.000Z')).toBe(true);
    expect(await touchConfirmRequest(db.kysely, subscription.id, '2024-06-01T10:05:00.000Z', '2024-06-01T09:55:00.000Z')).toBe(false);
    expect(await touchConfirmRequest(db.kysely, subscription.id, '2024-06-01T10:11:00.000Z', '2024-06-01T10:01:00.000Z')).toBe(true);
  });
});
