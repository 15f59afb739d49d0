/** Migration 030 on every dialect: weekly weekdays and "for you" members round-trip through the subscriptions table. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertSubscriptionIfAbsent, findSubscriptionByPublicKey, updateSubscriptionSchedule } from './subscription.repository.js';
import { createTestDb, enabledDialects, type TestDb } from './testing/test-database.js';
import { insertUserIfAbsent } from './user.repository.js';

const now = '2024-06-01T10:00:00.000Z';

describe.each(enabledDialects())('subscription lists and weekdays on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('stores the weekday of weekly schedules only, and reads a weekly row without one as Monday', async () => {
    const friday = { frequency: 'weekly' as const, localHour: 9, timeZone: 'America/New_York', weekday: 5 as const };
    const { subscription } = await insertSubscriptionIfAbsent(db.kysely, { publicKey: 'weekly-key-0001', email: 'a@example.org', listKey: 'trending', list: { kind: 'trending' }, schedule: friday }, now);
    expect(subscription.schedule).toEqual(friday);
    const daily = await updateSubscriptionSchedule(db.kysely, 'weekly-key-0001', { frequency: 'daily', localHour: 9, timeZone: 'UTC' }, null, now);
    expect(daily?.schedule).toEqual({ frequency: 'daily', localHour: 9, timeZone: 'UTC' });
    const row = await db.kysely.withTables<{ subscriptions: { public_key: string; weekday: number | null; frequency: string } }>().selectFrom('subscriptions').select(['weekday']).where('public_key', '=', 'weekly-key-0001').executeTakeFirstOrThrow();
    expect(row.weekday).toBeNull();
    // A weekly subscription from before migration 030 has no weekday: Monday.
    await db.kysely.withTables<{ subscriptions: { public_key: string; frequency: string } }>().updateTable('subscriptions').set({ frequency: 'weekly' }).where('public_key', '=', 'weekly-key-0001').execute();
    expect((await findSubscriptionByPublicKey(db.kysely, 'weekly-key-0001'))?.schedule).toEqual({ frequency: 'weekly', localHour: 9, timeZone: 'UTC', weekday: 1 });
  });

  it('ties a "for you" subscription to its member, and drops it with the member', async () => {
    const { user } = await insertUserIfAbsent(db.kysely, { email: 'ada@example.org', handle: 'ada', displayName: 'Ada', role: 'member', now });
    const schedule = { frequency: 'daily' as const, localHour: 8, timeZone: 'UTC' };
    const { subscription } = await insertSubscriptionIfAbsent(db.kysely, { publicKey: 'for-you-key-0001', email: 'ada@example.org', listKey: 'for-you', list: { kind: 'for-you', memberId: user.id }, schedule }, now);
    expect(subscription.list).toEqual({ kind: 'for-you', memberId: user.id });
    expect((await findSubscriptionByPublicKey(db.kysely, 'for-you-key-0001'))?.list).toEqual({ kind: 'for-you', memberId: user.id });
    await db.kysely.deleteFrom('users').where('id', '=', user.id).execute();
    expect(await findSubscriptionByPublicKey(db.kysely, 'for-you-key-0001')).toBeNull();
  });
});
