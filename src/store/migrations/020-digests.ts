/**
 * Email digests: subscriptions (one per address and list), the delivery ledger (one row per
 * subscription and period, enforced by a unique key, doubling as the durable send queue), digest
 * runs for the admin page, and generated application secrets (the link-signing key when
 * TOKEN_SECRET is not configured). Timestamps are ISO 8601 text, as in 001.
 */
import type { Kysely } from 'kysely';
import { withIdColumn } from './dialect-helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('subscriptions'))
    // Random and URL-safe; what signed links name (never the row id).
    .addColumn('public_key', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    // 'trending' or 'topic:<normalized query>'; one subscription per address and list.
    .addColumn('list_key', 'text', (c) => c.notNull())
    .addColumn('list_kind', 'text', (c) => c.notNull())
    .addColumn('topic_query', 'text')
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('local_hour', 'integer', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // When the scheduler should next enqueue a digest; null unless confirmed.
    .addColumn('next_due_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('confirm_requested_at', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('unsubscribed_at', 'text')
    .addColumn('bounced_at', 'text')
    .addColumn('bounce_reason', 'text')
    .addUniqueConstraint('subscriptions_email_list_uq', ['email', 'list_key'])
    .execute();
  await db.schema.createIndex('subscriptions_due_idx').on('subscriptions').columns(['status', 'next_due_at']).execute();

  await withIdColumn(db, db.schema.createTable('deliveries'))
    .addColumn('subscription_id', 'bigint', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    // 'digest' or 'confirm' (the double opt-in mail rides the same queue).
    .addColumn('kind', 'text', (c) => c.notNull())
    // `d:2024-03-31`, `w:2024-W13` or `confirm:<time>`.
    .addColumn('period_key', 'text', (c) => c.notNull())
    // pending -> sending (claimed, lease held, SMTP end-of-data not yet released)
    //         -> sent (end-of-data released; accepted_at set once the server said 250)
    // or skipped | failed | bounced; pending again for a retry.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_before', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('message_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('handed_off_at', 'text')
    .addColumn('accepted_at', 'text')
    .addColumn('finished_at', 'text')
    // 1 when the sender died between releasing end-of-data and reading the server's reply.
    .addColumn('in_doubt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('smtp_response', 'text')
    .addColumn('last_error', 'text')
    .addColumn('skip_reason', 'text')
    // The key that makes a restart, a second worker or a retry unable to send twice.
    .addUniqueConstraint('deliveries_subscription_period_uq', ['subscription_id', 'period_key'])
    .execute();
  await db.schema.createIndex('deliveries_queue_idx').on('deliveries').columns(['status', 'not_before']).execute();
  await db.schema.createIndex('deliveries_lease_idx').on('deliveries').columns(['status', 'lease_expires_at']).execute();

  await withIdColumn(db, db.schema.createTable('digest_runs'))
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('enqueued', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retried', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bounced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recovered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('in_doubt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('digest_runs_started_idx').on('digest_runs').column('started_at').execute();

  await db.schema
    .createTable('app_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
