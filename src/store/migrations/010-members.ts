/**
 * Members and community: users, sessions and magic-link tokens (both stored as hashes), votes
 * (one per member and paper, enforced by the primary key), threaded comments with soft delete,
 * the daily feed's submissions (a paper is on the feed once), member libraries, hidden papers and
 * the moderation log. Timestamps are ISO 8601 text, as in 001.
 */
import type { Kysely } from 'kysely';
import { withIdColumn } from './dialect-helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('users'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('handle', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('suspended_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'text')
    .execute();

  await db.schema
    .createTable('sessions')
    // SHA-256 of the cookie value: a leaked table does not hand out sessions.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('login_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('requested_ip', 'text')
    .addColumn('next_path', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('first_used_at', 'text')
    .addColumn('use_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('login_tokens_email_idx').on('login_tokens').columns(['email', 'created_at']).execute();
  await db.schema.createIndex('login_tokens_ip_idx').on('login_tokens').columns(['requested_ip', 'created_at']).execute();

  await db.schema
    .createTable('votes')
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('paper_id', 'bigint', (c) => c.notNull().references('papers.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // The constraint, not application code, makes a second vote impossible.
    .addPrimaryKeyConstraint('votes_pk', ['user_id', 'paper_id'])
    .execute();
  await db.schema.createIndex('votes_paper_idx').on('votes').column('paper_id').execute();

  await withIdColumn(db, db.schema.createTable('comments'))
    .addColumn('public_id', 'text', (c) => c.notNull().unique())
    .addColumn('paper_id', 'bigint', (c) => c.notNull().references('papers.id').onDelete('cascade'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('parent_id', 'bigint', (c) => c.references('comments.id').onDelete('cascade'))
    .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('hidden_at', 'text')
    .execute();
  await db.schema.createIndex('comments_paper_idx').on('comments').columns(['paper_id', 'created_at']).execute();
  await db.schema.createIndex('comments_user_idx').on('comments').columns(['user_id', 'created_at']).execute();

  await withIdColumn(db, db.schema.createTable('daily_entries'))
    .addColumn('paper_id', 'bigint', (c) => c.notNull().unique().references('papers.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('submitted_by', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('daily_entries_day_idx').on('daily_entries').columns(['day', 'submitted_at']).execute();
  await db.schema.createIndex('daily_entries_submitter_idx').on('daily_entries').columns(['submitted_by', 'day']).execute();

  await db.schema
    .createTable('library_items')
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('paper_id', 'bigint', (c) => c.notNull().references('papers.id').onDelete('cascade'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('library_items_pk', ['user_id', 'paper_id'])
    .execute();

  await db.schema
    .createTable('hidden_papers')
    .addColumn('paper_id', 'bigint', (c) => c.primaryKey().references('papers.id').onDelete('cascade'))
    .addColumn('hidden_by', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reason', 'text')
    .addColumn('hidden_at', 'text', (c) => c.notNull())
    .execute();

  await withIdColumn(db, db.schema.createTable('moderation_log'))
    .addColumn('actor_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('moderation_log_created_idx').on('moderation_log').column('created_at').execute();
}
