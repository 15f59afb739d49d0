/**
 * Background jobs shared by several instances: one lease row per job name (who runs it, until
 * when, and the last schedule slot that finished, so a slot runs once across instances) and a
 * bounded history of runs. Timestamps are ISO 8601 text, as in 001, so they compare as strings.
 */
import type { Kysely } from 'kysely';
import { withIdColumn } from './dialect-helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    // Null when nobody runs the job; a holder that dies keeps it until `lease_until` passes.
    .addColumn('holder', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_slot', 'text')
    .addColumn('last_finished_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withIdColumn(db, db.schema.createTable('job_runs'))
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('slot', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    // running | ok | failed
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  // Pruning keeps the newest runs per job; listing reads the newest first.
  await db.schema.createIndex('job_runs_job_idx').on('job_runs').columns(['job', 'id']).execute();
}
