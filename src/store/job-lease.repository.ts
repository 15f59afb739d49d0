/**
 * Job leases and the run history. A lease row says which instance runs a job and until when;
 * taking it is atomic on both dialects (see claimJobLease), so two instances can never both hold
 * it. `last_slot` remembers the newest schedule slot that finished,
 * which is what keeps a second instance from running the same slot again after the first is done.
 */
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { JobOutcome, JobRun, LeaseClaim } from '../domain/job-run.js';
import type { JobLeasesTable, JobRunsTable, JobTables } from './job-lease.tables.js';
import { dialectOf } from './migrations/dialect-helpers.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

function tables(db: Executor) {
  return db.withTables<JobTables>();
}

function toRun(row: Selectable<JobRunsTable>): JobRun {
  return {
    id: Number(row.id),
    job: row.job,
    holder: row.holder,
    slot: row.slot,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome as JobOutcome,
    error: row.error,
  };
}

export interface ClaimLeaseOptions {
  job: string;
  holder: string;
  /** The schedule slot to run (ISO time); refused when it, or a later one, already finished. Null: no slot. */
  slot: string | null;
  now: string;
  leaseUntil: string;
}

/** How long a claimer that lost the race to a concurrent claim waits before it looks again. */
const CONTENDED_RETRY_MS = 1_000;

type LeaseRow = Selectable<JobLeasesTable>;

/** Why a lease row cannot be claimed now, or null when it can. */
function refusal(row: LeaseRow, o: ClaimLeaseOptions): LeaseClaim | null {
  if (o.slot !== null && row.last_slot !== null && row.last_slot >= o.slot) return { claimed: false, retryAt: null };
  if (row.holder !== null && row.lease_until !== null && row.lease_until > o.now) return { claimed: false, retryAt: new Date(row.lease_until) };
  return null;
}

/** The previous holder stopped without settling its run; say so rather than leave it running forever. */
async function settleAbandonedRuns(db: Executor, row: LeaseRow, o: ClaimLeaseOptions): Promise<void> {
  if (row.holder === null || row.holder === o.holder) return;
  await tables(db)
    .updateTable('job_runs')
    .set({ outcome: 'failed', finished_at: o.now, error: `the holder stopped before finishing (lease expired at ${row.lease_until ?? 'unknown'})` })
    .where('job', '=', o.job)
    .where('holder', '=', row.holder)
    .where('outcome', '=', 'running')
    .execute();
}

/**
 * Takes the job's lease if nobody holds it or the holder's lease ran out, and the slot is still
 * to run.
 * - PostgreSQL: one transaction reads the row FOR UPDATE SKIP LOCKED (a concurrent claimer skips
 *   it instead of waiting) and writes the new holder.
 * - SQLite: no transaction held across awaits, because a second connection in the same process
 *   (the digest sender's) waiting for the write lock blocks the event loop the holder needs to
 *   commit. Instead the row is read, then taken by one UPDATE that matches it only if it is
 *   unchanged (compare and set); SQLite runs each statement as its own transaction.
 */
export async function claimJobLease(db: Executor, o: ClaimLeaseOptions): Promise<LeaseClaim> {
  const create = (x: Executor) => tables(x).insertInto('job_leases').values({ name: o.job, updated_at: o.now }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const take = (x: Executor) => tables(x).updateTable('job_leases').set({ holder: o.holder, lease_until: o.leaseUntil, updated_at: o.now }).where('name', '=', o.job);

  if (dialectOf(db) === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await create(trx);
      const row = await tables(trx).selectFrom('job_leases').selectAll().where('name', '=', o.job).forUpdate().skipLocked().executeTakeFirst();
      // Locked: another instance is claiming it this very moment.
      if (!row) return { claimed: false, retryAt: new Date(Date.parse(o.now) + CONTENDED_RETRY_MS) };
      const refused = refusal(row, o);
      if (refused) return refused;
      await take(trx).execute();
      await settleAbandonedRuns(trx, row, o);
      return { claimed: true };
    });
  }

  const read = () => tables(db).selectFrom('job_leases').selectAll().where('name', '=', o.job).executeTakeFirst();
  let row = await read();
  if (!row) {
    await create(db);
    row = await read();
    if (!row) throw new Error(`job lease ${o.job} vanished while it was being created`);
  }
  const refused = refusal(row, o);
  if (refused) return refused;
  const seen = row;
  const unchanged = (column: 'holder' | 'lease_until' | 'last_slot') => (eb: ExpressionBuilder<JobTables, 'job_leases'>) => {
    const value = seen[column];
    return value === null ? eb(column, 'is', null) : eb(column, '=', value);
  };
  const result = await take(db).where(unchanged('holder')).where(unchanged('lease_until')).where(unchanged('last_slot')).executeTakeFirst();
  // Changed since it was read: another instance claimed (or finished) it first.
  if (Number(result.numUpdatedRows) === 0) return { claimed: false, retryAt: new Date(Date.parse(o.now) + CONTENDED_RETRY_MS) };
  await settleAbandonedRuns(db, row, o);
  return { claimed: true };
}

/** Extends the holder's lease; false when it no longer holds it (another instance took it over). */
export async function renewJobLease(db: Executor, o: { job: string; holder: string; now: string; leaseUntil: string }): Promise<boolean> {
  const result = await tables(db).updateTable('job_leases').set({ lease_until: o.leaseUntil, updated_at: o.now }).where('name', '=', o.job).where('holder', '=', o.holder).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Gives the lease up. With `finishedSlot` the slot is recorded as done, so no instance runs it
 * again; without, the next claimer runs the same slot (a run that was interrupted).
 */
export async function releaseJobLease(db: Executor, o: { job: string; holder: string; now: string; finishedSlot?: string | null }): Promise<boolean> {
  const finished = o.finishedSlot === undefined ? {} : { last_finished_at: o.now, ...(o.finishedSlot === null ? {} : { last_slot: o.finishedSlot }) };
  const result = await tables(db)
    .updateTable('job_leases')
    .set({ holder: null, lease_until: null, updated_at: o.now, ...finished })
    .where('name', '=', o.job)
    .where('holder', '=', o.holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface NewJobRun {
  job: string;
  holder: string;
  slot: string | null;
  startedAt: string;
}

export async function startJobRun(db: Executor, run: NewJobRun): Promise<number> {
  const row = await tables(db).insertInto('job_runs').values({ job: run.job, holder: run.holder, slot: run.slot, started_at: run.startedAt, outcome: 'running' }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

export interface JobRunEnd {
  finishedAt: string;
  outcome: Exclude<JobOutcome, 'running'>;
  error: string | null;
}

/** Settles a run, unless an instance that took the lease over has settled it already. */
export async function finishJobRun(db: Executor, id: number, end: JobRunEnd): Promise<void> {
  await tables(db).updateTable('job_runs').set({ finished_at: end.finishedAt, outcome: end.outcome, error: end.error }).where('id', '=', id).where('outcome', '=', 'running').execute();
}

/** Records a run that is already over (jobs that keep only their failures). */
export async function insertFinishedJobRun(db: Executor, run: NewJobRun & JobRunEnd): Promise<number> {
  const row = await tables(db)
    .insertInto('job_runs')
    .values({ job: run.job, holder: run.holder, slot: run.slot, started_at: run.startedAt, finished_at: run.finishedAt, outcome: run.outcome, error: run.error })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Keeps the newest `keep` runs of a job; returns how many older ones went. */
export async function pruneJobRuns(db: Executor, job: string, keep: number): Promise<number> {
  const t = tables(db);
  const newestGone = await t.selectFrom('job_runs').select('id').where('job', '=', job).orderBy('id', 'desc').limit(1).offset(keep).executeTakeFirst();
  if (!newestGone) return 0;
  const result = await t.deleteFrom('job_runs').where('job', '=', job).where('id', '<=', newestGone.id).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listRecentJobRuns(db: Executor, o: { limit: number; job?: string }): Promise<JobRun[]> {
  let q = tables(db).selectFrom('job_runs').selectAll().orderBy('id', 'desc').limit(o.limit);
  if (o.job !== undefined) q = q.where('job', '=', o.job);
  return (await q.execute()).map(toRun);
}
