/**
 * The delivery ledger and send queue. Every transition is a single conditional UPDATE, so it is
 * atomic on both dialects: a claim takes `pending` rows under a lease (with FOR UPDATE SKIP LOCKED
 * on PostgreSQL, so concurrent workers never wait on or take each other's rows), the hand-off moves
 * `sending` to `sent` only for the lease holder and only while the subscription may still receive
 * mail, and recovery returns expired `sending` leases to the queue. How hand-offs are made
 * durable without widening the crash window is explained in delivery-durability.ts.
 */
import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { Delivery, DeliveryKind, DeliveryStatus, DigestRun } from '../domain/digest-delivery.js';
import type { DeliveriesTable, DigestRunsTable, DigestTables } from './delivery.tables.js';
import { dialectOf } from './migrations/dialect-helpers.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

function tables(db: Executor) {
  return db.withTables<DigestTables>();
}

function toDelivery(row: Selectable<DeliveriesTable>): Delivery {
  return {
    id: Number(row.id),
    subscriptionId: Number(row.subscription_id),
    kind: row.kind as DeliveryKind,
    periodKey: row.period_key,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    notBefore: row.not_before,
    messageId: row.message_id,
    createdAt: row.created_at,
    handedOffAt: row.handed_off_at,
    acceptedAt: row.accepted_at,
    inDoubt: Boolean(Number(row.in_doubt)),
    smtpResponse: row.smtp_response,
    lastError: row.last_error,
    skipReason: row.skip_reason,
  };
}

export interface NewDelivery {
  subscriptionId: number;
  kind: DeliveryKind;
  periodKey: string;
  notBefore: string;
}

/** Inserts deliveries, ignoring any (subscription, period) that already has one; returns how many were new. */
export async function enqueueDeliveries(db: Executor, items: readonly NewDelivery[], now: string): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < items.length; i += 500) {
    const rows = await tables(db)
      .insertInto('deliveries')
      .values(items.slice(i, i + 500).map((d) => ({ subscription_id: d.subscriptionId, kind: d.kind, period_key: d.periodKey, status: 'pending', not_before: d.notBefore, created_at: now })))
      .onConflict((oc) => oc.columns(['subscription_id', 'period_key']).doNothing())
      .returning('id')
      .execute();
    inserted += rows.length;
  }
  return inserted;
}

export interface ClaimOptions {
  owner: string;
  /** One random token per claim; only its holder can hand off or settle the claimed rows. */
  token: string;
  now: string;
  leaseUntil: string;
  limit: number;
}

/** Atomically takes up to `limit` due pending deliveries under a lease. */
export async function claimDeliveries(db: Executor, o: ClaimOptions): Promise<Delivery[]> {
  const t = tables(db);
  // `sql.lit`: the partial queue index only serves a query that names the status literally.
  let due = t.selectFrom('deliveries').select('id').where('status', '=', sql.lit('pending')).where('not_before', '<=', o.now).orderBy('not_before').orderBy('id').limit(o.limit);
  if (dialectOf(db) === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await t
    .updateTable('deliveries')
    .set((eb) => ({ status: 'sending', lease_owner: o.owner, lease_token: o.token, lease_expires_at: o.leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', due)
    .where('status', '=', 'pending')
    .returningAll()
    .execute();
  return rows.map(toDelivery).sort((a, b) => a.id - b.id);
}

/** `CASE id WHEN ... THEN ... END`: one statement sets a different value per row. */
function byId(eb: ExpressionBuilder<DigestTables, 'deliveries'>, pairs: readonly (readonly [number, string])[]) {
  const [first, ...rest] = pairs;
  let expr = eb.case('id').when(first![0]).then(first![1]);
  for (const [id, value] of rest) expr = expr.when(id).then(value);
  return expr.end();
}

/**
 * `sending` -> `sent` for the lease holder. Whatever must stop a delivery (unsubscribe, bounce,
 * confirmation) moves it out of `sending` first, so the status check is all it takes.
 */
function handOffQuery(db: Executor, item: { id: number; messageId: string }, token: string, now: string) {
  return (
    tables(db)
      .updateTable('deliveries')
      // The Message-ID is recorded with the hand-off, so a delivery in doubt can be traced in the relay's logs.
      .set({ status: 'sent', handed_off_at: now, message_id: item.messageId })
      .where('id', '=', item.id)
      .where('lease_token', '=', token)
      .where('status', '=', 'sending')
      .returning('id')
  );
}

/** A hand-off whose row is updated but not yet committed (PostgreSQL), or not yet run (SQLite). */
export interface PreparedHandOff {
  /** False: the row is no longer `sending` under this lease (cancelled or taken over); nothing to commit. */
  readonly ready: boolean;
  /**
   * Commits and calls `afterCommit(handedOff)` synchronously the moment the commit has been
   * issued; resolves when it is acknowledged.
   */
  commit(afterCommit: (handedOff: boolean) => void): Promise<boolean>;
}

/**
 * The point of no return, in two steps so that hand-offs of different messages can overlap:
 * `prepareHandOff` does the slow part (PostgreSQL: BEGIN and the UPDATE, `sending` -> `sent` for
 * the lease holder unless it was cancelled meanwhile, which locks the row), and `commit` the
 * instant part, which the caller runs one message at a time, each followed at once by its
 * end-of-data.
 * - SQLite: the UPDATE runs and commits inside the synchronous driver call in `commit`;
 *   `afterCommit` follows it.
 * - PostgreSQL: the COMMIT is written to the server's socket (synchronously, the connection being
 *   idle) and `afterCommit` runs right after, without waiting for the answer. A commit
 *   acknowledged only later would leave a window of a full round trip (plus the server's fsync)
 *   in which a crash of this process finds a delivery recorded as sent whose end-of-data never
 *   left: PostgreSQL completes a COMMIT it received even when the client is gone. Killed before
 *   the COMMIT is written, the transaction rolls back. A failed COMMIT (connection lost after
 *   end-of-data went out) is retried once as a plain UPDATE, so the row does not look unsent.
 */
export async function prepareHandOff(db: Executor, item: { id: number; messageId: string }, token: string, now: string): Promise<PreparedHandOff> {
  if (dialectOf(db) !== 'postgres') {
    return {
      ready: true,
      commit: async (afterCommit) => {
        const rows = await handOffQuery(db, item, token, now).execute();
        afterCommit(rows.length > 0);
        return rows.length > 0;
      },
    };
  }
  const trx = await db.startTransaction().execute();
  let rows: { id: number }[];
  try {
    rows = await handOffQuery(trx, item, token, now).execute();
  } catch (error) {
    await trx.rollback().execute().catch(() => undefined);
    throw error;
  }
  if (rows.length === 0) {
    await trx.rollback().execute();
    return {
      ready: false,
      commit: async (afterCommit) => {
        afterCommit(false);
        return false;
      },
    };
  }
  return {
    ready: true,
    commit: async (afterCommit) => {
      const committed = trx.commit().execute();
      afterCommit(true);
      try {
        await committed;
      } catch {
        // End-of-data is already out: record the hand-off outside the failed transaction.
        await handOffQuery(db, item, token, now).execute();
      }
      return true;
    },
  };
}

/** prepareHandOff and commit in one go. */
export async function handOffDelivery(db: Executor, item: { id: number; messageId: string }, token: string, now: string, afterCommit: (handedOff: boolean) => void): Promise<boolean> {
  return (await prepareHandOff(db, item, token, now)).commit(afterCommit);
}

/** The server answered 250 to end-of-data: bookkeeping only (a `sent` row counts as sent either way). */
export async function markAccepted(db: Executor, items: readonly { id: number; response: string }[], token: string, now: string): Promise<void> {
  if (items.length === 0) return;
  const postgres = dialectOf(db) === 'postgres';
  await db.transaction().execute(async (trx) => {
    // Bookkeeping only (a lost mark makes a sent row look in doubt, nothing more), so on
    // PostgreSQL it need not wait for the WAL flush; raw SQL because the builder has no SET.
    if (postgres) await sql`set local synchronous_commit = off`.execute(trx);
    await markAcceptedIn(trx, items, token, now);
  });
}

async function markAcceptedIn(db: Executor, items: readonly { id: number; response: string }[], token: string, now: string): Promise<void> {
  for (let i = 0; i < items.length; i += 200) {
    const part = items.slice(i, i + 200);
    await tables(db)
      .updateTable('deliveries')
      .set((eb) => ({ accepted_at: now, finished_at: now, smtp_response: byId(eb, part.map((p) => [p.id, p.response.slice(0, 500)])), lease_owner: null, lease_token: null, lease_expires_at: null }))
      .where('id', 'in', part.map((p) => p.id))
      .where('lease_token', '=', token)
      .where('status', '=', 'sent')
      .execute();
  }
}

/**
 * Back to the queue after a transient failure. Allowed from `sending` and from `sent` (the server
 * answered end-of-data with a 4xx: it did not take the message).
 */
export async function retryDelivery(db: Executor, o: { id: number; token: string; notBefore: string; error: string }): Promise<boolean> {
  const row = await tables(db)
    .updateTable('deliveries')
    .set({ status: 'pending', lease_owner: null, lease_token: null, lease_expires_at: null, handed_off_at: null, not_before: o.notBefore, last_error: o.error.slice(0, 500) })
    .where('id', '=', o.id)
    .where('lease_token', '=', o.token)
    .where('status', 'in', ['sending', 'sent'])
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Settles a claimed delivery as skipped, failed or bounced. */
export async function finishDelivery(db: Executor, o: { id: number; token: string; status: 'skipped' | 'failed' | 'bounced'; reason: string; now: string }): Promise<boolean> {
  const row = await tables(db)
    .updateTable('deliveries')
    .set({
      status: o.status,
      finished_at: o.now,
      lease_owner: null,
      lease_token: null,
      lease_expires_at: null,
      ...(o.status === 'skipped' ? { skip_reason: o.reason.slice(0, 200) } : { last_error: o.reason.slice(0, 500) }),
    })
    .where('id', '=', o.id)
    .where('lease_token', '=', o.token)
    .where('status', 'in', ['sending', 'sent'])
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The connection failed after end-of-data was released: counted as sent, never sent again. */
export async function markInDoubt(db: Executor, o: { id: number; token: string; error: string; now: string }): Promise<boolean> {
  const row = await tables(db)
    .updateTable('deliveries')
    .set({ in_doubt: 1, finished_at: o.now, last_error: o.error.slice(0, 500), lease_owner: null, lease_token: null, lease_expires_at: null })
    .where('id', '=', o.id)
    .where('lease_token', '=', o.token)
    .where('status', '=', 'sent')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A release intent: before a message's end-of-data may go out, the lease owner is rewritten to
 * `<owner> releasing@<boot id>` (recordReleaseIntents), and that write is on disk before the
 * release (delivery-durability.ts). The hand-off itself (`sending` -> `sent`) is committed
 * without waiting for an fsync, right before end-of-data, so:
 * - a process crash loses no commit (they are in the OS): a `sending` row was never released;
 * - a power loss may lose hand-offs not yet fsynced: a `sending` row whose intent was recorded
 *   under an earlier boot may have been released.
 */
export const INTENT_MARK = ' releasing@';

function intentOwner(owner: string, bootId: string): string {
  return `${owner}${INTENT_MARK}${bootId}`;
}

/**
 * Records that end-of-data may be released for these claimed deliveries (still `sending`, same
 * lease). Returns the ids it recorded; the caller makes them durable before releasing any.
 */
export async function recordReleaseIntents(db: Executor, o: { ids: readonly number[]; token: string; owner: string; bootId: string }): Promise<Set<number>> {
  const done = new Set<number>();
  for (let i = 0; i < o.ids.length; i += 500) {
    const rows = await tables(db)
      .updateTable('deliveries')
      .set({ lease_owner: intentOwner(o.owner, o.bootId) })
      .where('id', 'in', o.ids.slice(i, i + 500))
      .where('lease_token', '=', o.token)
      .where('status', '=', 'sending')
      .returning('id')
      .execute();
    for (const r of rows) done.add(Number(r.id));
  }
  return done;
}

/**
 * After a sender died: expired `sending` leases go back to the queue (the server never saw
 * end-of-data, so sending again cannot duplicate), and expired `sent` rows without a 250 become
 * in-doubt (counted as sent: end-of-data was released, the server most likely has the message).
 * With `bootId` (SQLite), a `sending` row whose release intent dates from another boot is in
 * doubt too: a power loss may have taken its hand-off; sending it again could duplicate it.
 */
export async function recoverExpiredLeases(db: Executor, now: string, bootId?: string): Promise<{ requeued: number; inDoubt: number }> {
  const t = tables(db);
  const requeued = await t
    .updateTable('deliveries')
    .set({ status: 'pending', lease_owner: null, lease_token: null, lease_expires_at: null, not_before: now, last_error: 'lease expired before end-of-data (sender stopped); sending again' })
    .where('status', '=', 'sending')
    .where('lease_token', 'is not', null)
    .where('lease_expires_at', '<=', now)
    .$if(bootId !== undefined, (q) => q.where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', 'not like', `%${INTENT_MARK}%`), eb('lease_owner', 'like', `%${INTENT_MARK}${bootId}`)])))
    .returning('id')
    .execute();
  const lostHandOffs = bootId === undefined
    ? []
    : await t
        .updateTable('deliveries')
        .set({ status: 'sent', in_doubt: 1, handed_off_at: now, finished_at: now, lease_owner: null, lease_token: null, lease_expires_at: null, last_error: 'release intent from an earlier boot (power loss?): may have been sent; not sending again' })
        .where('status', '=', 'sending')
        .where('lease_token', 'is not', null)
        .where('lease_expires_at', '<=', now)
        .where('lease_owner', 'like', `%${INTENT_MARK}%`)
        .where('lease_owner', 'not like', `%${INTENT_MARK}${bootId}`)
        .returning('id')
        .execute();
  const inDoubt = await t
    .updateTable('deliveries')
    .set({ in_doubt: 1, finished_at: now, lease_owner: null, lease_token: null, lease_expires_at: null })
    .where('status', '=', 'sent')
    .where('accepted_at', 'is', null)
    .where('lease_token', 'is not', null)
    .where('lease_expires_at', '<=', now)
    .returning('id')
    .execute();
  return { requeued: requeued.length, inDoubt: inDoubt.length + lostHandOffs.length };
}

export interface QueueState {
  /** Pending and due now. */
  due: number;
  /** Held by a sender (this or another process). */
  leased: number;
  earliestLeaseExpiry: string | null;
}

export async function queueState(db: Executor, now: string): Promise<QueueState> {
  const t = tables(db);
  const due = await t.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', sql.lit('pending')).where('not_before', '<=', now).executeTakeFirstOrThrow();
  const leased = await t
    .selectFrom('deliveries')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('lease_expires_at').as('earliest')])
    // Claimed and not settled: `sending`, or `sent` still waiting for its 250.
    .where('lease_token', 'is not', null)
    .executeTakeFirstOrThrow();
  return { due: Number(due.n), leased: Number(leased.n), earliestLeaseExpiry: (leased.earliest as string | null) ?? null };
}

export async function listDeliveriesForSubscription(db: Executor, subscriptionId: number): Promise<Delivery[]> {
  const rows = await tables(db).selectFrom('deliveries').selectAll().where('subscription_id', '=', subscriptionId).orderBy('id').execute();
  return rows.map(toDelivery);
}

export async function countDeliveriesByStatus(db: Executor, kind?: DeliveryKind): Promise<Record<DeliveryStatus, number> & { inDoubt: number }> {
  let q = tables(db).selectFrom('deliveries').select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('in_doubt').as('doubt')]).groupBy('status');
  if (kind) q = q.where('kind', '=', kind);
  const out = { pending: 0, sending: 0, sent: 0, skipped: 0, failed: 0, bounced: 0, inDoubt: 0 };
  for (const r of await q.execute()) {
    out[r.status as DeliveryStatus] = Number(r.n);
    out.inDoubt += Number(r.doubt ?? 0);
  }
  return out;
}

// ---- runs ----

function toRun(row: Selectable<DigestRunsTable>): DigestRun {
  return {
    id: Number(row.id),
    trigger: row.trigger,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    enqueued: Number(row.enqueued),
    sent: Number(row.sent),
    skipped: Number(row.skipped),
    retried: Number(row.retried),
    failed: Number(row.failed),
    bounced: Number(row.bounced),
    recovered: Number(row.recovered),
    inDoubt: Number(row.in_doubt),
    error: row.error,
  };
}

export async function startRun(db: Executor, trigger: string, now: string): Promise<number> {
  const row = await tables(db).insertInto('digest_runs').values({ trigger, started_at: now }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

export type RunCounts = Pick<DigestRun, 'enqueued' | 'sent' | 'skipped' | 'retried' | 'failed' | 'bounced' | 'recovered' | 'inDoubt'>;

export async function finishRun(db: Executor, id: number, counts: RunCounts, now: string, error: string | null): Promise<void> {
  await tables(db)
    .updateTable('digest_runs')
    .set({ finished_at: now, enqueued: counts.enqueued, sent: counts.sent, skipped: counts.skipped, retried: counts.retried, failed: counts.failed, bounced: counts.bounced, recovered: counts.recovered, in_doubt: counts.inDoubt, error })
    .where('id', '=', id)
    .execute();
}

export async function listRecentRuns(db: Executor, limit: number): Promise<DigestRun[]> {
  const rows = await tables(db).selectFrom('digest_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toRun);
}

// ---- secrets ----

/** Returns the stored secret `name`, storing `candidate` first if there is none (race-safe). */
export async function getOrCreateSecret(db: Executor, name: string, candidate: string, now: string): Promise<string> {
  const t = tables(db);
  await t.insertInto('app_secrets').values({ name, value: candidate, created_at: now }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await t.selectFrom('app_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
