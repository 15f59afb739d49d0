/**
 * Digests, part three: weekly digests on a chosen weekday, and "for you" digests tied to a
 * member. `weekday` is the ISO weekday (1 = Monday ... 7 = Sunday) a weekly digest goes out on;
 * null means Monday, which is what every subscription made before this migration gets.
 * `member_id` names the member a "for you" list is learned from (null for other lists); the
 * subscription goes when the member does.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subscriptions').addColumn('weekday', 'integer').execute();
  await db.schema
    .alterTable('subscriptions')
    .addColumn('member_id', 'bigint', (c) => c.references('users.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('subscriptions_member_idx').on('subscriptions').column('member_id').execute();
}
