import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobTables } from './job-lease.tables.js';
import { claimJobLease, listRecentJobRuns, pruneJobRuns, releaseJobLease, renewJobLease, startJobRun } from './job-lease.repository.js';
import { createTestDb, enabledDialects, type TestDb } from './testing/test-database.js';

const NOW = '2024-06-10T06:00:00.000Z';
const LATER = '2024-06-10T06:00:01.000Z';
const claim = (holder: string, o: { slot?: string | null; now?: string; leaseUntil?: string } = {}) => ({ job: 'harvest_arxiv', holder, slot: o.slot === undefined ? NOW : o.slot, now: o.now ?? NOW, leaseUntil: o.leaseUntil ?? LATER });

describe.each(enabledDialects())('job leases on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('gives the lease to exactly one of many claimers at once', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => claimJobLease(db.kysely, claim(`instance-${i}`))));
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    const row = await db.kysely.withTables<JobTables>().selectFrom('job_leases').selectAll().executeTakeFirst();
    expect(row).toMatchObject({ name: 'harvest_arxiv', lease_until: LATER });
  });

  it('refuses a held lease until it runs out, and a finished slot for good', async () => {
    expect(await claimJobLease(db.kysely, claim('a'))).toEqual({ claimed: true });
    expect(await claimJobLease(db.kysely, claim('b'))).toEqual({ claimed: false, retryAt: new Date(LATER) });
    expect(await renewJobLease(db.kysely, { job: 'harvest_arxiv', holder: 'b', now: NOW, leaseUntil: LATER })).toBe(false);
    expect(await renewJobLease(db.kysely, { job: 'harvest_arxiv', holder: 'a', now: NOW, leaseUntil: '2024-06-10T06:00:02.000Z' })).toBe(true);
    expect(await claimJobLease(db.kysely, claim('b', { now: LATER }))).toMatchObject({ claimed: false });
    expect(await releaseJobLease(db.kysely, { job: 'harvest_arxiv', holder: 'a', now: LATER, finishedSlot: NOW })).toBe(true);
    // Free, but its slot is done: nobody runs it again; the next slot is open.
    expect(await claimJobLease(db.kysely, claim('b', { now: LATER }))).toEqual({ claimed: false, retryAt: null });
    expect(await claimJobLease(db.kysely, claim('b', { slot: LATER, now: LATER, leaseUntil: '2024-06-10T06:00:05.000Z' }))).toEqual({ claimed: true });
  });

  it('settles the run of a holder whose lease ran out when another takes the lease over', async () => {
    await claimJobLease(db.kysely, claim('a'));
    await startJobRun(db.kysely, { job: 'harvest_arxiv', holder: 'a', slot: NOW, startedAt: NOW });
    expect(await claimJobLease(db.kysely, claim('b', { now: LATER, leaseUntil: '2024-06-10T06:00:09.000Z' }))).toEqual({ claimed: true });
    const [run] = await listRecentJobRuns(db.kysely, { limit: 5 });
    expect(run).toMatchObject({ holder: 'a', outcome: 'failed', finishedAt: LATER });
    expect(run?.error).toContain('the holder stopped before finishing');
    // The old holder can neither renew nor give back what is no longer its lease.
    expect(await renewJobLease(db.kysely, { job: 'harvest_arxiv', holder: 'a', now: LATER, leaseUntil: LATER })).toBe(false);
    expect(await releaseJobLease(db.kysely, { job: 'harvest_arxiv', holder: 'a', now: LATER, finishedSlot: NOW })).toBe(false);
  });

  it('prunes the history to the newest runs of each job', async () => {
    for (let i = 0; i < 5; i++) await startJobRun(db.kysely, { job: 'a', holder: 'h', slot: null, startedAt: NOW });
    await startJobRun(db.kysely, { job: 'b', holder: 'h', slot: null, startedAt: NOW });
    expect(await pruneJobRuns(db.kysely, 'a', 2)).toBe(3);
    expect(await pruneJobRuns(db.kysely, 'a', 2)).toBe(0);
    const runs = await listRecentJobRuns(db.kysely, { limit: 10 });
    expect(runs.map((r) => r.job)).toEqual(['b', 'a', 'a']);
  });
});
