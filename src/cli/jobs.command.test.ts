import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobLeaseService } from '../services/jobs/job-leases.service.js';
import { createTestDb, enabledDialects, type TestDb } from '../store/testing/test-database.js';
import { runCli } from './testing/run-cli.js';

describe.each(enabledDialects())('paperboy jobs on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(dialect);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('lists recent runs of every instance with their outcome, as a table and as JSON', async () => {
    const jobs = createJobLeaseService({ db, config: { leaseSeconds: 60, keepRuns: 100 } });
    const at = (s: number) => new Date(Date.parse('2024-06-10T06:00:00Z') + s * 1000);
    const failed = await jobs.startRun({ job: 'harvest_arxiv', holder: 'web-1:41:aa', slot: at(0), startedAt: at(1) });
    await jobs.finishRun(failed, 'harvest_arxiv', { finishedAt: at(3.5), outcome: 'failed', error: 'scheduled harvest failed for 1 of 1 sets: cs: arXiv unreachable' });
    const ok = await jobs.startRun({ job: 'send_digests', holder: 'worker-2:42:bb', slot: at(300), startedAt: at(300) });
    await jobs.finishRun(ok, 'send_digests', { finishedAt: at(300.25), outcome: 'ok', error: null });
    await jobs.startRun({ job: 'harvest_arxiv', holder: 'worker-2:42:bb', slot: at(21600), startedAt: at(21600) });

    const table = await runCli(['jobs'], { DATABASE_URL: db.url });
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STARTED\s+JOB\s+OUTCOME\s+TOOK\s+SLOT\s+HOLDER\s+ERROR$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      ['2024-06-10T12:00:00.000Z', 'harvest_arxiv', 'running', '-', '2024-06-10T12:00:00.000Z', 'worker-2:42:bb'],
      ['2024-06-10T06:05:00.000Z', 'send_digests', 'ok', '250ms', '2024-06-10T06:05:00.000Z', 'worker-2:42:bb'],
      ['2024-06-10T06:00:01.000Z', 'harvest_arxiv', 'failed', '2.5s', '2024-06-10T06:00:00.000Z', 'web-1:41:aa', 'scheduled harvest failed for 1 of 1 sets: cs: arXiv unreachable'],
    ]);

    const json = await runCli(['jobs', '--json', '--job', 'harvest_arxiv', '--limit', '1'], { DATABASE_URL: db.url });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { id: expect.any(Number), job: 'harvest_arxiv', holder: 'worker-2:42:bb', slot: '2024-06-10T12:00:00.000Z', startedAt: '2024-06-10T12:00:00.000Z', finishedAt: null, outcome: 'running', error: null },
    ]);

    const bad = await runCli(['jobs', '--limit', '0'], { DATABASE_URL: db.url });
    expect(bad.code).toBe(64);
  });
});
