/**
 * Subscriptions: create or refresh one per address and list, state changes guarded by the
 * current state (so a double click or a race cannot confirm an unsubscribed row), and the
 * scheduler's "who is due" query. Functions run on a database or inside a caller's transaction.
 */
import type { Kysely, Selectable } from 'kysely';
import { parseWeekday, type Frequency } from '../domain/digest-period.js';
import type { DigestList, Subscription, SubscriptionStatus } from '../domain/subscription.js';
import type { DigestTables } from './delivery.tables.js';
import type { Database } from './schema.js';
import type { SubscriptionsTable } from './subscription.tables.js';

type Executor = Kysely<Database>;
type Row = Selectable<SubscriptionsTable>;

/** A subscription with its internal id, for services that link deliveries to it. */
export interface StoredSubscription extends Subscription {
  readonly id: number;
}

function tables(db: Executor) {
  return db.withTables<DigestTables>();
}

function listOf(row: Row): DigestList {
  if (row.list_kind === 'topic') return { kind: 'topic', query: row.topic_query ?? '' };
  if (row.list_kind === 'for-you' && row.member_id !== null) return { kind: 'for-you', memberId: Number(row.member_id) };
  return { kind: 'trending' };
}

function scheduleOf(row: Row): Subscription['schedule'] {
  const base = { frequency: row.frequency as Frequency, localHour: Number(row.local_hour), timeZone: row.time_zone };
  // Weekly rows made before migration 030 have no weekday: Monday.
  return base.frequency === 'weekly' ? { ...base, weekday: parseWeekday(Number(row.weekday ?? 1)) ?? 1 } : base;
}

/** The columns a schedule is stored in. */
function scheduleColumns(schedule: Subscription['schedule']) {
  return { frequency: schedule.frequency, local_hour: schedule.localHour, time_zone: schedule.timeZone, weekday: schedule.frequency === 'weekly' ? (schedule.weekday ?? 1) : null };
}

function toSubscription(row: Row): StoredSubscription {
  return {
    id: Number(row.id),
    publicKey: row.public_key,
    email: row.email,
    list: listOf(row),
    schedule: scheduleOf(row),
    status: row.status as SubscriptionStatus,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
    unsubscribedAt: row.unsubscribed_at,
    nextDueAt: row.next_due_at,
  };
}

export interface NewSubscription {
  publicKey: string;
  email: string;
  listKey: string;
  list: DigestList;
  schedule: Subscription['schedule'];
}

/**
 * Creates a pending subscription, or returns the existing one for the same address and list.
 * Does not change an existing row; the caller decides what a repeated request means.
 */
export async function insertSubscriptionIfAbsent(db: Executor, input: NewSubscription, now: string): Promise<{ subscription: StoredSubscription; created: boolean }> {
  const t = tables(db);
  const inserted = await t
    .insertInto('subscriptions')
    .values({
      public_key: input.publicKey,
      email: input.email,
      list_key: input.listKey,
      list_kind: input.list.kind,
      topic_query: input.list.kind === 'topic' ? input.list.query : null,
      member_id: input.list.kind === 'for-you' ? input.list.memberId : null,
      ...scheduleColumns(input.schedule),
      status: 'pending',
      next_due_at: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['email', 'list_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { subscription: toSubscription(inserted), created: true };
  const existing = await t.selectFrom('subscriptions').selectAll().where('email', '=', input.email).where('list_key', '=', input.listKey).executeTakeFirstOrThrow();
  return { subscription: toSubscription(existing), created: false };
}

/**
 * Stops deliveries of these subscriptions that have not been handed off: queued ones, and ones a
 * sender has claimed (`sending`). A sender's hand-off needs `sending`, so whichever of the two
 * updates commits first wins: after this returns, no further message can go out for them.
 */
async function cancelUnsentDeliveries(db: Executor, subscriptionIds: readonly number[], reason: string, now: string, kind?: 'digest' | 'confirm'): Promise<void> {
  if (subscriptionIds.length === 0) return;
  let q = tables(db)
    .updateTable('deliveries')
    .set({ status: 'skipped', skip_reason: reason, finished_at: now, lease_owner: null, lease_token: null, lease_expires_at: null })
    .where('subscription_id', 'in', [...subscriptionIds])
    .where('status', 'in', ['pending', 'sending']);
  if (kind) q = q.where('kind', '=', kind);
  await q.execute();
}

export async function findSubscriptionByPublicKey(db: Executor, publicKey: string): Promise<StoredSubscription | null> {
  const row = await tables(db).selectFrom('subscriptions').selectAll().where('public_key', '=', publicKey).executeTakeFirst();
  return row ? toSubscription(row) : null;
}

export async function findSubscriptionsByIds(db: Executor, ids: readonly number[]): Promise<Map<number, StoredSubscription>> {
  const out = new Map<number, StoredSubscription>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await tables(db).selectFrom('subscriptions').selectAll().where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) out.set(Number(r.id), toSubscription(r));
  }
  return out;
}

/** Puts a not-confirmed subscription (pending, unsubscribed, bouncing) back to pending with new preferences. */
export async function restartSubscription(db: Executor, id: number, schedule: Subscription['schedule'], now: string): Promise<StoredSubscription | null> {
  const row = await tables(db)
    .updateTable('subscriptions')
    .set({ status: 'pending', ...scheduleColumns(schedule), next_due_at: null, unsubscribed_at: null, updated_at: now })
    .where('id', '=', id)
    .where('status', '!=', 'confirmed')
    .returningAll()
    .executeTakeFirst();
  return row ? toSubscription(row) : null;
}

/**
 * Records that a confirmation mail is being requested; returns false when one was requested
 * after `notAfter` (throttle: a form cannot be used to flood an inbox).
 */
export async function touchConfirmRequest(db: Executor, id: number, now: string, notAfter: string): Promise<boolean> {
  const row = await tables(db)
    .updateTable('subscriptions')
    .set({ confirm_requested_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('confirm_requested_at', 'is', null), eb('confirm_requested_at', '<=', notAfter)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Confirmation mails queued for an address since `since`, whatever the list (the per-address cap). */
export async function countConfirmMailsToAddressSince(db: Executor, email: string, since: string): Promise<number> {
  const row = await tables(db)
    .selectFrom('deliveries')
    .innerJoin('subscriptions', 'subscriptions.id', 'deliveries.subscription_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subscriptions.email', '=', email)
    .where('deliveries.kind', '=', 'confirm')
    .where('deliveries.created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** pending -> confirmed; returns the row (also when it was already confirmed) or null when it cannot be confirmed. */
export async function confirmSubscription(db: Executor, publicKey: string, nextDueAt: string, now: string): Promise<StoredSubscription | null> {
  const t = tables(db);
  const row = await t
    .updateTable('subscriptions')
    .set({ status: 'confirmed', confirmed_at: now, next_due_at: nextDueAt, updated_at: now, bounced_at: null, bounce_reason: null })
    .where('public_key', '=', publicKey)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (row) {
    // A confirmation mail still queued for it has nothing left to do.
    await cancelUnsentDeliveries(db, [Number(row.id)], 'confirmed', now, 'confirm');
    return toSubscription(row);
  }
  const current = await findSubscriptionByPublicKey(db, publicKey);
  return current?.status === 'confirmed' ? current : null;
}

/** Changes frequency, weekday, hour or time zone (and the next due instant) of a live subscription. */
export async function updateSubscriptionSchedule(db: Executor, publicKey: string, schedule: Subscription['schedule'], nextDueAt: string | null, now: string): Promise<StoredSubscription | null> {
  const row = await tables(db)
    .updateTable('subscriptions')
    .set((eb) => ({
      ...scheduleColumns(schedule),
      // Only a confirmed subscription is scheduled.
      next_due_at: eb.case().when('status', '=', 'confirmed').then(nextDueAt).else(null).end(),
      updated_at: now,
    }))
    .where('public_key', '=', publicKey)
    .where('status', 'in', ['pending', 'confirmed'])
    .returningAll()
    .executeTakeFirst();
  return row ? toSubscription(row) : null;
}

/** Ends a subscription; nothing more is sent for it once this commits (see cancelUnsentDeliveries). */
export async function unsubscribe(db: Executor, publicKey: string, now: string): Promise<StoredSubscription | null> {
  const t = tables(db);
  const row = await t
    .updateTable('subscriptions')
    .set({ status: 'unsubscribed', unsubscribed_at: now, next_due_at: null, updated_at: now })
    .where('public_key', '=', publicKey)
    .where('status', '!=', 'unsubscribed')
    .returningAll()
    .executeTakeFirst();
  const sub = row ? toSubscription(row) : await findSubscriptionByPublicKey(db, publicKey);
  if (sub) await cancelUnsentDeliveries(db, [sub.id], 'unsubscribed', now);
  return sub;
}

/** A permanent SMTP failure: every live subscription of the address stops receiving mail. */
export async function markEmailBouncing(db: Executor, email: string, reason: string, now: string): Promise<number> {
  const t = tables(db);
  const rows = await t
    .updateTable('subscriptions')
    .set({ status: 'bouncing', bounced_at: now, bounce_reason: reason.slice(0, 500), next_due_at: null, updated_at: now })
    .where('email', '=', email)
    .where('status', 'in', ['pending', 'confirmed'])
    .returning('id')
    .execute();
  await cancelUnsentDeliveries(db, rows.map((r) => Number(r.id)), 'bouncing', now);
  return rows.length;
}

/** Confirmed subscriptions whose next digest is due at or before `now`, oldest first. */
export async function listDueSubscriptions(db: Executor, now: string, limit: number): Promise<StoredSubscription[]> {
  const rows = await tables(db)
    .selectFrom('subscriptions')
    .selectAll()
    .where('status', '=', 'confirmed')
    .where('next_due_at', '<=', now)
    .orderBy('next_due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toSubscription);
}

export async function setNextDueAt(db: Executor, ids: readonly number[], nextDueAt: string, now: string): Promise<void> {
  if (ids.length === 0) return;
  await tables(db).updateTable('subscriptions').set({ next_due_at: nextDueAt, updated_at: now }).where('id', 'in', ids).execute();
}

export async function countSubscriptionsByStatus(db: Executor): Promise<Record<SubscriptionStatus, number>> {
  const rows = await tables(db).selectFrom('subscriptions').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const out: Record<SubscriptionStatus, number> = { pending: 0, confirmed: 0, unsubscribed: 0, bouncing: 0 };
  for (const r of rows) out[r.status as SubscriptionStatus] = Number(r.n);
  return out;
}
