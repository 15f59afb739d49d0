/**
 * What the job runner needs from the database, as a service (the jobs layer never opens the
 * database): claiming, renewing and giving up a job's lease, and recording its runs, kept to a
 * bounded number per job. Times are Dates here and ISO text in the store.
 */
import type { JobsConfig } from '../../config/config.js';
import type { JobOutcome, JobRun, LeaseClaim } from '../../domain/job-run.js';
import type { Db } from '../../store/database.js';
import { claimJobLease, finishJobRun, insertFinishedJobRun, listRecentJobRuns, pruneJobRuns, releaseJobLease, renewJobLease, startJobRun } from '../../store/job-lease.repository.js';

export interface JobRunEnd {
  finishedAt: Date;
  outcome: Exclude<JobOutcome, 'running'>;
  error: string | null;
}

export interface JobLeaseService {
  /** Default lease length (JOB_LEASE_SECONDS); the holder renews it while it works. */
  readonly leaseMs: number;
  /** Takes `job` for `holder` until `now + leaseMs` if it is free (or its holder's lease ran out) and `slot` has not run yet. */
  claim(o: { job: string; holder: string; slot: Date | null; now: Date; leaseMs: number }): Promise<LeaseClaim>;
  /** False when `holder` no longer holds the lease. */
  renew(o: { job: string; holder: string; now: Date; leaseMs: number }): Promise<boolean>;
  /** Gives the lease up; `finishedSlot` marks that slot done for every instance (omit it to let the next claimer run the slot again). */
  release(o: { job: string; holder: string; now: Date; finishedSlot?: Date | null }): Promise<boolean>;
  startRun(o: { job: string; holder: string; slot: Date | null; startedAt: Date }): Promise<number>;
  finishRun(id: number, job: string, end: JobRunEnd): Promise<void>;
  /** Records a run after the fact (jobs that keep only their failures). */
  recordRun(o: { job: string; holder: string; slot: Date | null; startedAt: Date } & JobRunEnd): Promise<void>;
  recentRuns(o?: { limit?: number; job?: string }): Promise<JobRun[]>;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function createJobLeaseService(deps: { db: Db; config: JobsConfig }): JobLeaseService {
  const db = deps.db.kysely;
  const keep = deps.config.keepRuns;
  return {
    leaseMs: deps.config.leaseSeconds * 1000,
    claim: (o) => claimJobLease(db, { job: o.job, holder: o.holder, slot: iso(o.slot), now: o.now.toISOString(), leaseUntil: new Date(o.now.getTime() + o.leaseMs).toISOString() }),
    renew: (o) => renewJobLease(db, { job: o.job, holder: o.holder, now: o.now.toISOString(), leaseUntil: new Date(o.now.getTime() + o.leaseMs).toISOString() }),
    release: (o) => releaseJobLease(db, { job: o.job, holder: o.holder, now: o.now.toISOString(), ...(o.finishedSlot === undefined ? {} : { finishedSlot: iso(o.finishedSlot) }) }),
    startRun: (o) => startJobRun(db, { job: o.job, holder: o.holder, slot: iso(o.slot), startedAt: o.startedAt.toISOString() }),
    async finishRun(id, job, end) {
      await finishJobRun(db, id, { finishedAt: end.finishedAt.toISOString(), outcome: end.outcome, error: end.error });
      await pruneJobRuns(db, job, keep);
    },
    async recordRun(o) {
      await insertFinishedJobRun(db, { job: o.job, holder: o.holder, slot: iso(o.slot), startedAt: o.startedAt.toISOString(), finishedAt: o.finishedAt.toISOString(), outcome: o.outcome, error: o.error });
      await pruneJobRuns(db, o.job, keep);
    },
    recentRuns: (o = {}) => listRecentJobRuns(db, { limit: o.limit ?? 20, ...(o.job === undefined ? {} : { job: o.job }) }),
  };
}
