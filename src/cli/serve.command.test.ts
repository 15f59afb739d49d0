import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
