/**
 * Personal API tokens: a member's scripts and bots call the write API with
 * `Authorization: Bearer <token>`. Only the token's SHA-256 is stored (it is shown once), with a
 * short hint to tell tokens apart, its scope (`read` or `write`), and when it was last used.
 * Revoked tokens stay as rows so the settings page can show what was revoked and when.
 */
import type { Kysely } from 'kysely';
import { withIdColumn } from './dialect-helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await withIdColumn(db, db.schema.createTable('api_tokens'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('hint', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();
}
