import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOaiReplayServer, type OaiReplayServer } from '../ingest/testing/oai-replay.server.js';
import { countPapers } from '../store/paper.repository.js';
import { findIngestState } from '../store/ingest-state.repository.js';
import { createTestDb, enabledDialects, type TestDb } from '../store/testing/test-database.js';
import { ExitCode } from '../domain/exit-code.js';
import { runCli } from './testing/run-cli.js';

// page-001 and page-002 are consecutive pages of the real 2016 harvest; page-103 is its real last
// page (empty token). 1,000 + 1,000 + 538 distinct records.
const PAGES = ['page-001.xml', 'page-002.xml', 'page-103.xml'];

describe.each(enabledDialects())('paperboy ingest arxiv on %s', (dialect) => {
  let db: TestDb;
  let server: OaiReplayServer;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await server?.close();
    await db.destroy();
  });

  function env(): Record<string, string> {
    return { DATABASE_URL: db.url, ARXIV_OAI_URL: server.baseUrl, PAPERBOY_EXTRA_ALLOWED_HOSTS: server.host, ARXIV_DELAY_MS: '0', ARXIV_MAX_RETRIES: '3' };
  }

  it('survives a 503 with Retry-After and a dropped connection, storing every record once', async () => {
    server = await startOaiReplayServer({ pages: PAGES, faults: { 2: { kind: 'unavailable', retryAfter: '1' }, 4: { kind: 'drop' } } });
    const started = Date.now();
    const result = await runCli(['ingest', 'arxiv', '--set', 'cs'], env());
    expect(result.stderr).not.toMatch(/^error/m);
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toContain('pages: 3  records: 2538  inserted: 2538');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(server.requests.map((r) => r.fault)).toEqual([null, 'unavailable', null, 'drop', null]);
    expect(await countPapers(db.kysely)).toBe(2538);
    expect(await findIngestState(db.kysely, 'oai-pmh:arXiv:cs')).toMatchObject({ status: 'complete', resumptionToken: null, pages: 3, records: 2538 });
  });

  it('stops on Ctrl-C after a committed page and resumes from the saved token without duplicates', async () => {
    // The second request is held back by a long Retry-After, so Ctrl-C lands between pages.
    server = await startOaiReplayServer({ pages: PAGES, faults: { 2: { kind: 'unavailable', retryAfter: '30' } } });
    const first = await runCli(['ingest', 'arxiv', '--set', 'cs'], env(), { signalAfter: { text: 'pages: 1 ', signal: 'SIGINT' } });
    expect(first.code).toBe(ExitCode.interrupted);
    expect(first.stderr).toContain('progress is saved');
    expect(await countPapers(db.kysely)).toBe(1000);
    const saved = await findIngestState(db.kysely, 'oai-pmh:arXiv:cs');
    expect(saved).toMatchObject({ status: 'in_progress', pages: 1, records: 1000 });
    expect(saved?.resumptionToken).toBeTruthy();

    const requestsBefore = server.requests.length;
    const second = await runCli(['ingest', 'arxiv', '--set', 'cs'], env());
    expect(second.code).toBe(ExitCode.ok);
    expect(second.stdout).toContain('resumed; pages: 2  records: 1538  inserted: 1538  updated: 0  skipped: 0');
    const resumedRequests = server.requests.slice(requestsBefore);
    expect(resumedRequests[0]?.params.resumptionToken).toBe(saved?.resumptionToken);
    expect(resumedRequests.map((r) => r.served)).not.toContain('page-001.xml');
    expect(await countPapers(db.kysely)).toBe(2538);
  });

  it('refuses a non-arXiv host before making any request', async () => {
    server = await startOaiReplayServer({ pages: PAGES });
    const result = await runCli(['ingest', 'arxiv', '--set', 'cs'], { ...env(), PAPERBOY_EXTRA_ALLOWED_HOSTS: '' });
    expect(result.code).toBe(ExitCode.unavailable);
    expect(result.stderr).toMatch(/refusing to fetch .*host "127\.0\.0\.1" is not/);
    expect(server.requests).toHaveLength(0);
  });

  it('rejects a malformed --from date with a usage error', async () => {
    server = await startOaiReplayServer({ pages: PAGES });
    const result = await runCli(['ingest', 'arxiv', '--from', '2025-13-45'], env());
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('--from must be a date');
  });
});
