import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app.js';
import { buildConfig, DEFAULT_DENSE_SEARCH_CONFIG, type Config } from '../config/config.js';
import { startOaiReplayServer, type OaiReplayServer, type ReplayFault } from '../ingest/testing/oai-replay.server.js';
import { createLogger } from '../logger.js';
import type { JobTables } from '../store/job-lease.tables.js';
import { countPapers } from '../store/paper.repository.js';
import { createTestDb, enabledDialects, type TestDb } from '../store/testing/test-database.js';
import { HARVEST_JOB, harvestJobs } from './harvest.job.js';
import { createJobRunner, type JobDefinition, type JobRunner } from './job-runner.js';

// The real last page of the 2016 `cs` harvest: 538 records and no resumption token, so one
// harvest is exactly one request to the replay server.
const LAST_PAGE = ['page-103.xml'];
const HOUR = 3_600_000;
const T0 = Date.parse('2024-06-10T06:00:00Z');

function harvestConfig(db: TestDb, server: OaiReplayServer, jobs: Config['jobs'] = { leaseSeconds: 60, keepRuns: 100 }): Config {
  return buildConfig({
    database: db.dialect === 'sqlite' ? { dialect: 'sqlite', file: db.url.slice('sqlite:'.length), url: db.url } : { dialect: 'postgres', url: db.url },
    logLevel: 'silent',
    harvest: { sets: ['cs'], intervalMinutes: 360, oaiBaseUrl: server.baseUrl, metadataPrefix: 'arXiv', maxRetries: 3, delayMs: 0, extraAllowedHosts: [server.host] },
    denseSearch: { ...DEFAULT_DENSE_SEARCH_CONFIG, mode: 'off' },
    jobs,
  });
}

/** A clock the test moves; timers still run in real time, so tests drive runs with runDue(). */
function manualClock(start: number) {
  let now = start;
  return { clock: () => new Date(now), set: (t: number) => (now = t), advance: (ms: number) => (now += ms) };
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe.each(enabledDialects())('the job runner on %s', (dialect) => {
  let db: TestDb;
  let server: OaiReplayServer | undefined;
  const runners: JobRunner[] = [];
  const apps: App[] = [];
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await Promise.all(
      apps.splice(0).map(async (a) => {
        a.services.members.close();
        await a.close();
      }),
    );
    await server?.close();
    server = undefined;
    await db.destroy();
  });

  /** The app on the test database's own connection (closing it leaves the test database open). */
  async function appOn(config: Config, ownConnection = false): Promise<App> {
    const app = await createApp(config, { logger: createLogger('silent'), migrate: false, ...(ownConnection ? {} : { db: { ...db, close: async () => undefined } }) });
    apps.push(app);
    return app;
  }

  function runner(app: App, holder: string, jobs: JobDefinition[], options: { clock?: () => Date; leaseMs?: number; heartbeatMs?: number } = {}): JobRunner {
    const r = createJobRunner({ jobs, leases: app.services.jobLeases, logger: app.logger, holder, ...options });
    runners.push(r);
    return r;
  }

  const leaseRow = (job: string) => db.kysely.withTables<JobTables>().selectFrom('job_leases').selectAll().where('name', '=', job).executeTakeFirst();

  it('runs each harvest slot once with two runners on one database', async () => {
    server = await startOaiReplayServer({ pages: LAST_PAGE });
    const app = await appOn(harvestConfig(db, server));
    const time = manualClock(T0 + 5 * 60_000);
    const jobs = harvestJobs({ config: app.config, logger: app.logger, services: app.services });
    const a = runner(app, 'instance-a', jobs, { clock: time.clock });
    const b = runner(app, 'instance-b', jobs, { clock: time.clock });

    for (let slot = 0; slot < 3; slot++) {
      // Both look at once, and again later in the same slot: the slot runs once.
      await Promise.all([a.runDue(), b.runDue()]);
      time.advance(HOUR);
      await Promise.all([b.runDue(), a.runDue()]);
      time.advance(5 * HOUR);
    }

    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((r) => r.served === 'page-103.xml')).toBe(true);
    const runs = await app.services.jobLeases.recentRuns({ job: HARVEST_JOB });
    expect(runs.map((r) => [r.slot, r.outcome])).toEqual([
      ['2024-06-10T18:00:00.000Z', 'ok'],
      ['2024-06-10T12:00:00.000Z', 'ok'],
      ['2024-06-10T06:00:00.000Z', 'ok'],
    ]);
    expect(await countPapers(db.kysely)).toBe(538);
    expect(await leaseRow(HARVEST_JOB)).toMatchObject({ holder: null, lease_until: null, last_slot: '2024-06-10T18:00:00.000Z' });
  });

  it('lets another instance take over a slot once the lease of a holder that died runs out', async () => {
    // The first request is told to come back in 30 s: the first holder is parked mid-harvest.
    server = await startOaiReplayServer({ pages: LAST_PAGE, faults: { 1: { kind: 'unavailable', retryAfter: '30' } satisfies ReplayFault } });
    const config = harvestConfig(db, server, { leaseSeconds: 30, keepRuns: 100 });
    const time = manualClock(T0 + 60_000);
    const dying = await appOn(config, true);
    const survivor = await appOn(config);
    const a = runner(dying, 'instance-a', harvestJobs({ config, logger: dying.logger, services: dying.services }), { clock: time.clock });
    const b = runner(survivor, 'instance-b', harvestJobs({ config, logger: survivor.logger, services: survivor.services }), { clock: time.clock });

    void a.runDue();
    for (let i = 0; i < 200 && server.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.requests.map((r) => r.fault)).toEqual(['unavailable']);
    // The holder "dies": nothing it does reaches the database any more, its lease is not given back.
    apps.splice(apps.indexOf(dying), 1);
    await dying.db.close();

    await b.runDue();
    expect(server.requests).toHaveLength(1);
    expect(await leaseRow(HARVEST_JOB)).toMatchObject({ holder: 'instance-a', last_slot: null });

    time.advance(30_001);
    await b.runDue();
    expect(server.requests.map((r) => r.fault)).toEqual(['unavailable', null]);
    expect(await countPapers(db.kysely)).toBe(538);
    const runs = await survivor.services.jobLeases.recentRuns({ job: HARVEST_JOB });
    expect(runs.map((r) => [r.holder, r.slot, r.outcome])).toEqual([
      ['instance-b', '2024-06-10T06:00:00.000Z', 'ok'],
      ['instance-a', '2024-06-10T06:00:00.000Z', 'failed'],
    ]);
    expect(runs[1]?.error).toContain('the holder stopped before finishing');
    expect(await leaseRow(HARVEST_JOB)).toMatchObject({ holder: null, last_slot: '2024-06-10T06:00:00.000Z' });
  });

  it('keeps the lease of a live holder past its length by renewing it, and does not run the slot again', async () => {
    server = await startOaiReplayServer({ pages: LAST_PAGE });
    const app = await appOn(harvestConfig(db, server));
    const work = gate();
    let performed = 0;
    const job: JobDefinition = {
      name: 'slow_job',
      schedule: { everyMs: HOUR },
      async perform() {
        performed++;
        await work.opened;
      },
    };
    const a = runner(app, 'instance-a', [job], { leaseMs: 150, heartbeatMs: 30 });
    const b = runner(app, 'instance-b', [job], { leaseMs: 150, heartbeatMs: 30 });
    const first = a.runDue();
    for (let i = 0; i < 200 && performed === 0; i++) await new Promise((r) => setTimeout(r, 5));
    // Three lease lengths later the lease is still held (renewed), so the other instance stays out.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 150));
      await b.runDue();
    }
    expect(performed).toBe(1);
    expect((await leaseRow('slow_job'))?.holder).toBe('instance-a');
    work.open();
    await first;
    await b.runDue();
    expect(performed).toBe(1);
    const runs = await app.services.jobLeases.recentRuns({ job: 'slow_job' });
    expect(runs.map((r) => [r.holder, r.outcome])).toEqual([['instance-a', 'ok']]);
  });

  it('runs a slot that began during a run right after it, and a busy job does not hold another back', async () => {
    server = await startOaiReplayServer({ pages: LAST_PAGE });
    const app = await appOn(harvestConfig(db, server));
    const time = manualClock(T0);
    const slots: string[] = [];
    const firstRun = gate();
    const poll = gate();
    let polls = 0;
    const jobs: JobDefinition[] = [
      {
        name: 'every_second',
        schedule: { cron: '* * * * * *' },
        async perform() {
          slots.push(time.clock().toISOString());
          if (slots.length === 1) await firstRun.opened;
        },
      },
      {
        name: 'busy_poll',
        scope: 'instance',
        schedule: { everyMs: 1_000 },
        history: 'failures',
        async perform() {
          polls++;
          await poll.opened;
        },
      },
    ];
    const r = runner(app, 'instance-a', jobs, { clock: time.clock });
    r.nudge('busy_poll');
    for (let i = 0; i < 200 && polls === 0; i++) await new Promise((res) => setTimeout(res, 5));
    expect(polls).toBe(1);

    // The poll is still running; the cron job runs anyway.
    void r.runDue();
    for (let i = 0; i < 200 && slots.length === 0; i++) await new Promise((res) => setTimeout(res, 5));
    expect(slots).toEqual(['2024-06-10T06:00:00.000Z']);
    // A new slot begins while the first run is still going: it is not dropped but runs right after.
    time.advance(1_000);
    void r.runDue();
    firstRun.open();
    for (let i = 0; i < 200 && slots.length < 2; i++) await new Promise((res) => setTimeout(res, 5));
    expect(slots).toEqual(['2024-06-10T06:00:00.000Z', '2024-06-10T06:00:01.000Z']);

    // A nudge during the poll's run gives one more run after it, not none.
    r.nudge('busy_poll');
    await new Promise((res) => setTimeout(res, 20));
    expect(polls).toBe(1);
    poll.open();
    for (let i = 0; i < 200 && polls < 2; i++) await new Promise((res) => setTimeout(res, 5));
    expect(polls).toBe(2);
    const runs = await app.services.jobLeases.recentRuns({ limit: 10 });
    expect(runs.map((x) => [x.job, x.slot, x.outcome])).toEqual([
      ['every_second', '2024-06-10T06:00:01.000Z', 'ok'],
      ['every_second', '2024-06-10T06:00:00.000Z', 'ok'],
    ]);
  });

  it('on stop, interrupts the run and gives the lease back, so another instance runs the same slot at once', async () => {
    server = await startOaiReplayServer({ pages: LAST_PAGE, faults: { 1: { kind: 'unavailable', retryAfter: '30' } } });
    const app = await appOn(harvestConfig(db, server));
    const time = manualClock(T0);
    const jobs = harvestJobs({ config: app.config, logger: app.logger, services: app.services });
    const a = runner(app, 'instance-a', jobs, { clock: time.clock });
    const b = runner(app, 'instance-b', jobs, { clock: time.clock });
    void a.runDue();
    for (let i = 0; i < 200 && server.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await a.stop();
    expect(await leaseRow(HARVEST_JOB)).toMatchObject({ holder: null, last_slot: null });

    await b.runDue();
    expect(server.requests.map((r) => r.fault)).toEqual(['unavailable', null]);
    const runs = await app.services.jobLeases.recentRuns({ job: HARVEST_JOB });
    expect(runs.map((r) => [r.holder, r.outcome])).toEqual([
      ['instance-b', 'ok'],
      ['instance-a', 'failed'],
    ]);
    expect(runs[1]?.error).toBe('interrupted: the instance is stopping');
  });

  it('keeps a bounded history per job and records only the failures of a failures-only job', async () => {
    server = await startOaiReplayServer({ pages: LAST_PAGE });
    const app = await appOn({ ...harvestConfig(db, server), jobs: { leaseSeconds: 60, keepRuns: 3 } } as Config);
    const time = manualClock(T0);
    let n = 0;
    const r = runner(
      app,
      'instance-a',
      [
        { name: 'often', schedule: { everyMs: 1_000 }, perform: async () => undefined },
        {
          name: 'quiet_poll',
          scope: 'instance',
          schedule: { everyMs: 1_000 },
          history: 'failures',
          perform: async () => {
            if (++n === 2) throw new Error('SMTP server said no');
          },
        },
      ],
      { clock: time.clock },
    );
    await r.runDue();
    for (let i = 0; i < 5; i++) {
      time.advance(1_000);
      await r.runDue();
    }
    const often = await app.services.jobLeases.recentRuns({ job: 'often' });
    expect(often.map((x) => x.slot)).toEqual(['2024-06-10T06:00:05.000Z', '2024-06-10T06:00:04.000Z', '2024-06-10T06:00:03.000Z']);
    const quiet = await app.services.jobLeases.recentRuns({ job: 'quiet_poll' });
    expect(quiet.map((x) => [x.outcome, x.error])).toEqual([['failed', 'SMTP server said no']]);
    expect(n).toBe(6);
  });
});
