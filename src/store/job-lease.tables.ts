/**
 * Row types of the job tables (migration 040), added to a Kysely instance with
 * `withTables<JobTables>()` like the digest tables.
 */
import type { Generated } from 'kysely';

export interface JobLeasesTable {
  name: string;
  holder: string | null;
  lease_until: string | null;
  last_slot: string | null;
  last_finished_at: string | null;
  updated_at: string;
}

export interface JobRunsTable {
  id: Generated<number>;
  job: string;
  holder: string;
  slot: string | null;
  started_at: string;
  finished_at: string | null;
  outcome: string;
  error: string | null;
}

// A type alias (not an interface) so it satisfies Kysely's `withTables` constraint.
export type JobTables = {
  job_leases: JobLeasesTable;
  job_runs: JobRunsTable;
};
