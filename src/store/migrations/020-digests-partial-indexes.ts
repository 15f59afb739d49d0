/**
 * Digest ledger indexes, take two: partial indexes instead of (status, ...) ones. A hand-off
 * (`sending` -> `sent`, once per message, on the critical path between commit and SMTP
 * end-of-data) then changes no indexed column, and each index holds only the rows its query
 * looks for. Queries that use them compare status with a literal so SQLite's planner can prove
 * the match (see delivery.repository.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('deliveries_queue_idx').execute();
  await db.schema.dropIndex('deliveries_lease_idx').execute();
  await db.schema.createIndex('deliveries_queue_idx').on('deliveries').columns(['not_before', 'id']).where(sql.ref('status'), '=', 'pending').execute();
  await db.schema.createIndex('deliveries_lease_idx').on('deliveries').column('lease_expires_at').where(sql.ref('lease_token'), 'is not', null).execute();
}
