import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyPaperRecord, type IngestItem } from '../domain/paper.js';
import { openLedgerSync, type LedgerSync } from './delivery-durability.js';
import {
  claimDeliveries,
  countDeliveriesByStatus,
  enqueueDeliveries,
  finishDelivery,
  finishRun,
  getOrCreateSecret,
  handOffDelivery,
  listDeliveriesForSubscription,
  listRecentRuns,
  markAccepted,
  queueState,
  recordReleaseIntents,
  recoverExpiredLeases,
  retryDelivery,
  startRun,
} from './delivery.repository.js';
import { upsertPapers } from './paper.repository.js';
import { confirmSubscription, insertSubscriptionIfAbsent, unsubscribe } from './subscription.repository.js';
import { createTestDb, enabledDialects, type TestDb } from './testing/test-database.js';

const t0 = '2024-06-01T10:00:00.000Z';
const t1 = '2024-06-01T10:01:00.000Z';
const t9 = '2024-06-01T10:09:00.000Z';

describe.each(enabledDialects())('delivery ledger on %s', (dialect) => {
  let db: TestDb;
  let ledger: LedgerSync;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    ledger = await openLedgerSync(db.kysely);
  });
  afterEach(async () => {
    await ledger.close();
    await db.destroy();
  });

  async function confirmedSubscriptions(n: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const { subscription } = await insertSubscriptionIfAbsent(db.kysely, { publicKey: `pk-${String(i).padStart(6, '0')}`, email: `s${i}@example.org`, listKey: 'trending', list: { kind: 'trending' }, schedule: { frequency: 'daily', localHour: 8, timeZone: 'UTC' } }, t0);
      await confirmSubscription(db.kysely, subscription.publicKey, t0, t0);
      ids.push(subscription.id);
    }
    return ids;
  }

  const claim = (token: string, limit = 10, now = t1, leaseUntil = '2024-06-01T10:06:00.000Z') => claimDeliveries(db.kysely, { owner: `w-${token}`, token, now, leaseUntil, limit });

  it('enqueues one delivery per subscription and period, whatever the number of attempts', async () => {
    const [a, b] = await confirmedSubscriptions(2);
    const items = [a!, b!].map((id) => ({ subscriptionId: id, kind: 'digest' as const, periodKey: 'd:2024-06-01', notBefore: t0 }));
    expect(await enqueueDeliveries(db.kysely, items, t0)).toBe(2);
    expect(await enqueueDeliveries(db.kysely, items, t0)).toBe(0);
    expect(await enqueueDeliveries(db.kysely, [{ subscriptionId: a!, kind: 'digest', periodKey: 'd:2024-06-02', notBefore: t0 }], t0)).toBe(1);
  });

  it('claims atomically: concurrent claimers get disjoint sets that cover the queue', async () => {
    const ids = await confirmedSubscriptions(40);
    await enqueueDeliveries(db.kysely, ids.map((id) => ({ subscriptionId: id, kind: 'digest' as const, periodKey: 'd:2024-06-01', notBefore: t0 })), t0);
    // Not yet due for a claim in the past.
    expect(await claim('early', 10, '2024-06-01T09:00:00.000Z')).toEqual([]);
    const batches = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((token) => claim(token, 12)));
    const claimed = batches.flat().map((d) => d.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed).toHaveLength(40);
    expect(batches.flat().every((d) => d.status === 'sending' && d.attempts === 1)).toBe(true);
    expect(await claim('late')).toEqual([]);
  });

  it('hands off only for the lease holder and only while the subscription is live (an unsubscribe cancels claimed deliveries)', async () => {
    const [a, b, c] = await confirmedSubscriptions(3);
    await enqueueDeliveries(db.kysely, [a!, b!, c!].map((id) => ({ subscriptionId: id, kind: 'digest' as const, periodKey: 'd:2024-06-01', notBefore: t0 })), t0);
    const claimed = await claim('tok');
    const byId = new Map(claimed.map((d) => [d.subscriptionId, d.id]));
    await unsubscribe(db.kysely, 'pk-000002', t1);
    const handOff = async (token: string) => {
      const handed = new Set<number>();
      for (const d of claimed) {
        let decided: boolean | undefined;
        const ok = await handOffDelivery(db.kysely, { id: d.id, messageId: `<m${d.id}@example.org>` }, token, t1, (h) => (decided = h));
        // The decision is delivered synchronously, before the call settles.
        expect(decided).toBe(ok);
        if (ok) handed.add(d.id);
      }
      return handed;
    };

    expect(await handOff('wrong-token')).toEqual(new Set());
    const handed = await handOff('tok');
    expect(handed).toEqual(new Set([byId.get(a!), byId.get(b!)]));
    // Handing off twice does nothing.
    expect(await handOff('tok')).toEqual(new Set());

    await markAccepted(db.kysely, [{ id: byId.get(a!)!, response: '250 OK queued as 1' }], 'tok', t1);
    // The server answered 451 to end-of-data for b: it goes back to the queue.
    expect(await retryDelivery(db.kysely, { id: byId.get(b!)!, token: 'tok', notBefore: t9, error: '451 try later' })).toBe(true);
    // The unsubscribe took the claimed delivery out of `sending` itself; the claim cannot settle it any more.
    expect(await finishDelivery(db.kysely, { id: byId.get(c!)!, token: 'tok', status: 'skipped', reason: 'not_subscribed', now: t1 })).toBe(false);
    expect((await listDeliveriesForSubscription(db.kysely, c!))[0]).toMatchObject({ status: 'skipped', skipReason: 'unsubscribed' });

    const [da] = await listDeliveriesForSubscription(db.kysely, a!);
    expect(da).toMatchObject({ status: 'sent', acceptedAt: t1, smtpResponse: '250 OK queued as 1', messageId: `<m${byId.get(a!)}@example.org>`, inDoubt: false });
    const [dbb] = await listDeliveriesForSubscription(db.kysely, b!);
    expect(dbb).toMatchObject({ status: 'pending', notBefore: t9, lastError: '451 try later', handedOffAt: null });
    expect(await countDeliveriesByStatus(db.kysely)).toMatchObject({ sent: 1, pending: 1, skipped: 1, inDoubt: 0 });
  });

  it('recovers expired leases: unsent claims go back to the queue, released ones become in-doubt', async () => {
    const [a, b, c] = await confirmedSubscriptions(3);
    await enqueueDeliveries(db.kysely, [a!, b!, c!].map((id) => ({ subscriptionId: id, kind: 'digest' as const, periodKey: 'd:2024-06-01', notBefore: t0 })), t0);
    const claimed = await claim('dead');
    const [first, second] = claimed;
    for (const d of [first!, second!]) await handOffDelivery(db.kysely, { id: d.id, messageId: `<${d.id}@x>` }, 'dead', t1, () => undefined);
    await markAccepted(db.kysely, [{ id: first!.id, response: '250 ok' }], 'dead', t1);

    expect(await queueState(db.kysely, t1)).toEqual({ due: 0, leased: 2, earliestLeaseExpiry: '2024-06-01T10:06:00.000Z' });
    expect(await recoverExpiredLeases(db.kysely, '2024-06-01T10:05:59.000Z')).toEqual({ requeued: 0, inDoubt: 0 });
    expect(await recoverExpiredLeases(db.kysely, '2024-06-01T10:06:00.000Z')).toEqual({ requeued: 1, inDoubt: 1 });
    expect(await countDeliveriesByStatus(db.kysely)).toMatchObject({ sent: 2, pending: 1, inDoubt: 1 });
    // The dead worker's token no longer settles anything.
    expect(await retryDelivery(db.kysely, { id: second!.id, token: 'dead', notBefore: t9, error: 'x' })).toBe(false);
    const again = await claim('alive', 10, '2024-06-01T10:07:00.000Z', '2024-06-01T10:12:00.000Z');
    expect(again.map((d) => [d.id, d.attempts])).toEqual([[claimed[2]!.id, 2]]);
  });

  it('writes the per-message ledger without an fsync each, and makes it durable with shared WAL fsyncs', async () => {
    const ids = await confirmedSubscriptions(3);
    await enqueueDeliveries(db.kysely, ids.map((id) => ({ subscriptionId: id, kind: 'digest' as const, periodKey: 'd:2024-06-01', notBefore: t0 })), t0);
    const claimed = await claim('tok');
    // PostgreSQL acknowledges durable commits; SQLite (a file in WAL mode) relaxes and fsyncs in groups.
    expect(ledger.mode).toBe(dialect === 'sqlite' ? 'wal-fsync' : 'none');
    // Intents are recorded only for rows this lease holds (with durable commits, none are needed).
    const intents = await ledger.recordReleaseIntents({ ids: [...claimed.map((d) => d.id), 999_999], token: 'tok', owner: 'w-tok' });
    expect([...intents].sort((a, b) => a - b)).toEqual(dialect === 'sqlite' ? claimed.map((d) => d.id) : [...claimed.map((d) => d.id), 999_999]);
    expect(await ledger.recordReleaseIntents({ ids: [claimed[0]!.id], token: 'other', owner: 'w-other' })).toEqual(dialect === 'sqlite' ? new Set() : new Set([claimed[0]!.id]));
    // Concurrent callers share fsyncs and all resolve.
    await Promise.all(Array.from({ length: 50 }, () => ledger.sync()));
    const decisions: boolean[] = [];
    expect(await ledger.handOff({ id: claimed[0]!.id, messageId: '<a@x>' }, 'tok', t1, (ok) => decisions.push(ok))).toBe(true);
    expect(await ledger.handOff({ id: claimed[0]!.id, messageId: '<a@x>' }, 'tok', t1, (ok) => decisions.push(ok))).toBe(false);
    expect(await ledger.handOff({ id: claimed[1]!.id, messageId: '<b@x>' }, 'wrong', t1, (ok) => decisions.push(ok))).toBe(false);
    expect(decisions).toEqual([true, false, false]);
    await ledger.markAccepted([{ id: claimed[0]!.id, response: '250 ok' }], 'tok', t1);
    const [row] = await listDeliveriesForSubscription(db.kysely, claimed[0]!.subscriptionId);
    expect(row).toMatchObject({ status: 'sent', messageId: '<a@x>', handedOffAt: t1, acceptedAt: t1, smtpResponse: '250 ok' });
    if (dialect === 'sqlite') {
      // The application's own connection keeps synchronous=FULL.
      expect((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db.kysely)).rows[0]?.synchronous).toBe(2);
    }
  });

  it('hands off while the application holds a write transaction open across an await (waits instead of failing)', async () => {
    const ids = await confirmedSubscriptions(1);
    await enqueueDeliveries(db.kysely, ids.map((id) => ({ subscriptionId: id, kind: 'digest' as const, periodKey: 'd:2024-06-01', notBefore: t0 })), t0);
    const [d] = await claim('tok');
    const trx = await db.kysely.startTransaction().execute();
    // Raw SQL: a controlled transaction's query builder loses the table types here (Kysely 0.28).
    await sql`update subscriptions set updated_at = ${t1} where id = ${ids[0]!}`.execute(trx);
    let decided: boolean | undefined;
    const handOff = ledger.handOff({ id: d!.id, messageId: '<m@x>' }, 'tok', t1, (ok) => (decided = ok));
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (dialect === 'sqlite') expect(decided).toBeUndefined(); // the ledger's own connection found the lock taken
    await trx.commit().execute();
    expect(await handOff).toBe(true);
    expect(decided).toBe(true);
  });

  it('after a power loss, does not resend a claimed delivery whose release intent is from an earlier boot', async () => {
    const ids = await confirmedSubscriptions(4);
    await enqueueDeliveries(db.kysely, ids.map((id) => ({ subscriptionId: id, kind: 'digest' as const, periodKey: 'd:2024-06-01', notBefore: t0 })), t0);
    const [noIntent, sameBoot, otherBoot, handedOff] = await claim('dead');
    await recordReleaseIntents(db.kysely, { ids: [sameBoot!.id, handedOff!.id], token: 'dead', owner: 'w-dead', bootId: 'boot-now' });
    await recordReleaseIntents(db.kysely, { ids: [otherBoot!.id], token: 'dead', owner: 'w-dead', bootId: 'boot-before' });
    await handOffDelivery(db.kysely, { id: handedOff!.id, messageId: '<h@x>' }, 'dead', t1, () => undefined);
    const expired = '2024-06-01T10:06:00.000Z';
    // No intent, or an intent from this boot: the sender's hand-off would be visible, so end-of-data never left.
    // An intent from an earlier boot: the hand-off may have been lost with the power: in doubt, not resent.
    expect(await recoverExpiredLeases(db.kysely, expired, 'boot-now')).toEqual({ requeued: 2, inDoubt: 2 });
    const status = async (d: { subscriptionId: number }) => (await listDeliveriesForSubscription(db.kysely, d.subscriptionId))[0]!;
    expect(await status(noIntent!)).toMatchObject({ status: 'pending', inDoubt: false });
    expect(await status(sameBoot!)).toMatchObject({ status: 'pending', inDoubt: false });
    expect(await status(otherBoot!)).toMatchObject({ status: 'sent', inDoubt: true });
    expect(await status(handedOff!)).toMatchObject({ status: 'sent', inDoubt: true });
    const again = await claim('alive', 10, '2024-06-01T10:07:00.000Z', '2024-06-01T10:12:00.000Z');
    expect(again.map((d) => d.id).sort((a, b) => a - b)).toEqual([noIntent!.id, sameBoot!.id].sort((a, b) => a - b));
  });

  it('records runs and keeps one secret per name', async () => {
    const id = await startRun(db.kysely, 'schedule', t0);
    await finishRun(db.kysely, id, { enqueued: 3, sent: 2, skipped: 1, retried: 0, failed: 0, bounced: 0, recovered: 0, inDoubt: 0 }, t1, null);
    expect(await listRecentRuns(db.kysely, 5)).toEqual([{ id, trigger: 'schedule', startedAt: t0, finishedAt: t1, enqueued: 3, sent: 2, skipped: 1, retried: 0, failed: 0, bounced: 0, recovered: 0, inDoubt: 0, error: null }]);
    expect(await getOrCreateSecret(db.kysely, 'token', 'first-secret', t0)).toBe('first-secret');
    expect(await getOrCreateSecret(db.kysely, 'token', 'second-secret', t0)).toBe('first-secret');
  });
});
