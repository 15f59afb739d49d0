import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/testing/run-cli.js';
import { startOaiReplayServer, type OaiReplayServer } from '../ingest/testing/oai-replay.server.js';
import { createJobLeaseService } from '../services/jobs/job-leases.service.js';
import { countPapers } from '../store/paper.repository.js';
import { createTestDb, enabledDialects, type TestDb } from '../store/testing/test-database.js';
import { HARVEST_JOB } from './harvest.job.js';
import type { WorkerInstanceOptions } from './testing/worker-instance.js';

const INTERVAL_MS = 1_000;

/** Starts a worker process and resolves once its jobs run. */
function startWorker(options: WorkerInstanceOptions): Promise<{ child: ChildProcess; exited: Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/jobs/testing/worker-instance.ts'), JSON.stringify(options)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('ready\n')) resolve({ child, exited, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
  });
}

describe.each(enabledDialects())('two worker instances on one %s database', (dialect) => {
  let db: TestDb;
  let server: OaiReplayServer;
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    db = await createTestDb(dialect);
    // The real last page of the 2016 `cs` harvest: one request per harvest.
    server = await startOaiReplayServer({ pages: ['page-103.xml'] });
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await server.close();
    await db.destroy();
  });

  it('harvest HARVEST_SETS exactly once per interval between them', async () => {
    const options: WorkerInstanceOptions = {
      databaseUrl: db.url,
      harvest: { sets: ['cs'], intervalMinutes: INTERVAL_MS / 60_000, oaiBaseUrl: server.baseUrl, metadataPrefix: 'arXiv', maxRetries: 0, delayMs: 0, extraAllowedHosts: [server.host] },
      jobs: { leaseSeconds: 5, keepRuns: 100 },
    };
    const workers = await Promise.all([startWorker(options), startWorker(options)]);
    children.push(...workers.map((w) => w.child));
    const started = Date.now();
    const jobs = createJobLeaseService({ db, config: options.jobs });
    const finished = async () => (await jobs.recentRuns({ job: HARVEST_JOB, limit: 100 })).filter((r) => r.outcome !== 'running');
    while ((await finished()).length < 3 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
    for (const w of workers) w.child.kill('SIGTERM');
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes).toEqual([0, 0]);
    const slotsElapsed = Math.floor(Date.now() / INTERVAL_MS) - Math.floor(started / INTERVAL_MS) + 1;

    const runs = await jobs.recentRuns({ job: HARVEST_JOB, limit: 100 });
    const ok = runs.filter((r) => r.outcome === 'ok');
    expect(ok.length).toBeGreaterThanOrEqual(3);
    // Both instances were there to claim every slot; at most one ran it.
    expect(new Set(runs.map((r) => r.slot)).size).toBe(runs.length);
    expect(runs.length).toBeLessThanOrEqual(slotsElapsed + 1);
    // A run that a new slot started just as the instances stopped may have been cut short; no other failed.
    const cut = runs.filter((r) => r.outcome !== 'ok');
    expect(cut.length).toBeLessThanOrEqual(1);
    if (cut[0]) {
      expect(cut[0]).toBe(runs[0]);
      expect(cut[0].error).toMatch(/^interrupted/);
    }
    // One harvest (one request to arXiv) per run.
    expect(server.requests.length).toBeGreaterThanOrEqual(ok.length);
    expect(server.requests.length).toBeLessThanOrEqual(runs.length);
    expect(server.requests.every((r) => r.served === 'page-103.xml')).toBe(true);
    expect(await countPapers(db.kysely)).toBe(538);
  });

  it('take over the harvest of an instance killed mid-run once its lease runs out', async () => {
    await server.close();
    // The first request is told to come back in 30 s: the first worker is parked mid-harvest.
    server = await startOaiReplayServer({ pages: ['page-103.xml'], faults: { 1: { kind: 'unavailable', retryAfter: '30' } } });
    const options: WorkerInstanceOptions = {
      databaseUrl: db.url,
      harvest: { sets: ['cs'], intervalMinutes: 360, oaiBaseUrl: server.baseUrl, metadataPrefix: 'arXiv', maxRetries: 3, delayMs: 0, extraAllowedHosts: [server.host] },
      jobs: { leaseSeconds: 2, keepRuns: 100 },
    };
    const jobs = createJobLeaseService({ db, config: options.jobs });
    const first = await startWorker(options);
    children.push(first.child);
    const until = async (done: () => Promise<boolean> | boolean) => {
      const started = Date.now();
      while (!(await done()) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 25));
    };
    await until(() => server.requests.length === 1);
    const [parked] = await jobs.recentRuns({ job: HARVEST_JOB });
    expect(parked).toMatchObject({ outcome: 'running' });
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startWorker(options);
    children.push(second.child);
    await until(async () => (await jobs.recentRuns({ job: HARVEST_JOB }))[0]?.outcome === 'ok');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const runs = await jobs.recentRuns({ job: HARVEST_JOB });
    expect(runs.map((r) => [r.holder === parked!.holder ? 'killed' : 'other', r.slot, r.outcome])).toEqual([
      ['other', parked!.slot, 'ok'],
      ['killed', parked!.slot, 'failed'],
    ]);
    expect(runs[1]!.error).toContain('the holder stopped before finishing');
    // Taken over only after the lease ran out (counted from the claim, a moment before the run started).
    expect(Date.parse(runs[0]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(parked!.startedAt) + 2_000 - 250);
    expect(server.requests.map((r) => r.fault)).toEqual(['unavailable', null]);
    expect(await countPapers(db.kysely)).toBe(538);
  });
});
