import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobLeaseService } from '../services/jobs/job-leases.service.js';
import { createTestDb, type TestDb } from '../store/testing/test-database.js';
import { runCli } from './testing/run-cli.js';

/** A loopback port with nothing listening on it: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('paperboy serve', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb('sqlite');
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('serves /healthz and the feed, keeps serving while arXiv is unreachable, and stops cleanly on SIGTERM', async () => {
    const deadPort = await closedPort();
    let url = '';
    let checked = false;
    let stopping = false;
    let output = '';
    const checks: Promise<void>[] = [];
    const result = await new Promise<Awaited<ReturnType<typeof runCli>>>((resolve, reject) => {
      const run = runCli(['serve', '--port', '0'], {
        DATABASE_URL: db.url,
        LOG_LEVEL: 'info',
        HARVEST_SETS: 'cs',
        HARVEST_INTERVAL_MINUTES: '5',
        ARXIV_OAI_URL: `http://127.0.0.1:${deadPort}/oai`,
        ARXIV_MAX_RETRIES: '0',
        PAPERBOY_EXTRA_ALLOWED_HOSTS: '127.0.0.1',
      }, {
        onOutput: (all, kill) => {
          output = all;
          const maybeStop = () => {
            if (checked && !stopping && output.includes('scheduled harvest failed')) {
              stopping = true;
              kill('SIGTERM');
            }
          };
          const m = /running at (http:\/\/[^\s]+)/.exec(all);
          if (m?.[1] && !url) {
            url = m[1];
            checks.push(
              (async () => {
                const health = await fetch(`${url}/healthz`);
                expect(health.status).toBe(200);
                expect(await health.json()).toEqual({ status: 'ok' });
                const feed = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
                expect(feed.status).toBe(200);
                expect(await feed.text()).toContain('<main');
                const bad = await fetch(`${url}/?page=-1`, { headers: { accept: 'application/json' } });
                expect(bad.status).toBe(400);
                checked = true;
                maybeStop();
              })(),
            );
          }
          maybeStop();
        },
      });
      run.then(resolve, reject);
    });
    await Promise.all(checks);
    expect(url).not.toBe('');
    expect(result.stderr).toContain('scheduled harvest failed');
    // Logged once per attempt, not once per retry.
    expect(result.stderr.match(/scheduled harvest failed/g)).toHaveLength(1);
    expect(result.code).toBe(0);
  });

  it('--role worker runs the jobs without serving HTTP; --role web serves without the cluster jobs', async () => {
    // A database of its own: the harvest slot the first spec ran is done and would not run again.
    const own = await createTestDb('sqlite');
    const env = {
      DATABASE_URL: own.url,
      LOG_LEVEL: 'info',
      HARVEST_SETS: 'cs',
      ARXIV_OAI_URL: `http://127.0.0.1:${await closedPort()}/oai`,
      ARXIV_MAX_RETRIES: '0',
      PAPERBOY_EXTRA_ALLOWED_HOSTS: '127.0.0.1',
    };
    const jobs = createJobLeaseService({ db: own, config: { leaseSeconds: 60, keepRuns: 100 } });
    const harvestRuns = async () => (await jobs.recentRuns({ job: 'harvest_arxiv', limit: 100 })).map((r) => r.outcome);

    let killWorker: ((signal: NodeJS.Signals) => void) | undefined;
    let signalled = false;
    const deadline = setTimeout(() => killWorker?.('SIGKILL'), 30_000);
    const worker = await runCli(['serve', '--role', 'worker', '--port', '0'], env, {
      onOutput: (all, kill) => {
        killWorker = kill;
        if (!signalled && all.includes('scheduled harvest failed')) {
          signalled = true;
          kill('SIGTERM');
        }
      },
    });
    clearTimeout(deadline);
    expect(worker.code).toBe(0);
    expect(worker.stdout).toContain('Paperboy worker is running');
    expect(worker.stdout).not.toContain('running at');
    expect(await harvestRuns()).toEqual(['failed']);

    let url = '';
    const web = await runCli(['serve', '--role', 'web', '--port', '0'], env, {
      onOutput: (all, kill) => {
        const m = /running at (http:\/\/[^\s]+)/.exec(all);
        if (m?.[1] && !url && all.includes('search index ready')) {
          url = m[1];
          void fetch(`${url}/healthz`).then((r) => r.status === 200 && kill('SIGTERM'));
        }
      },
    });
    expect(web.code).toBe(0);
    expect(url).not.toBe('');
    expect(web.stderr).toMatch(/"role":"web".*"jobs":\["search_index_warm","search_index_snapshot"\]/);
    expect(web.stderr).not.toContain('scheduled harvest');
    expect(await harvestRuns()).toEqual(['failed']);

    const bad = await runCli(['serve', '--role', 'cron'], env);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--role must be one of web, worker, all');
    await own.destroy();
  });
});
