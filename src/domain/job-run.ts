/**
 * Background job runs as the database records them: who ran which job for which slot, and how it
 * ended. Shared by the lease store, the jobs service and `paperboy jobs`.
 */

/** `running` until the holder settles it; a holder that dies leaves it to whoever takes its lease. */
export type JobOutcome = 'running' | 'ok' | 'failed';

export interface JobRun {
  id: number;
  job: string;
  /** The instance that ran it (host:pid:random). */
  holder: string;
  /** The schedule slot the run was for (ISO time), or null for a run outside any schedule. */
  slot: string | null;
  startedAt: string;
  finishedAt: string | null;
  outcome: JobOutcome;
  error: string | null;
}

/** Whether a holder got a job's lease, and if not, when it is worth asking again. */
export type LeaseClaim =
  | { readonly claimed: true }
  /** `retryAt`: when the current holder's lease runs out; null when the slot is already done. */
  | { readonly claimed: false; readonly retryAt: Date | null };
