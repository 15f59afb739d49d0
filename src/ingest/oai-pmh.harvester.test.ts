import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestItem } from '../domain/paper.js';
import { harvestOaiPmh, isBadResumptionToken, listRecordsUrl, type HarvestOaiPmhOptions, type OaiHarvestPage } from './oai-pmh.harvester.js';
import { sleep } from './polite-fetch.js';
import { ARXIV_RAW_FIXTURES_DIR, startOaiReplayServer, type OaiReplayServer, type OaiReplayServerOptions } from './testing/oai-replay.server.js';

const THREE_PAGES = ['page-001.xml', 'page-002.xml', 'page-103.xml'];

let server: OaiReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function replay(options: OaiReplayServerOptions) {
  server = await startOaiReplayServer(options);
  return server;
}

/** Real sleep that also records each pause, so a test can both spend and assert a Retry-After. */
function recordingSleep() {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: (ms: number, signal?: AbortSignal) => {
      sleeps.push(ms);
      return sleep(ms, signal);
    },
  };
}

function options(s: OaiReplayServer, extra: Partial<HarvestOaiPmhOptions> = {}, rec = recordingSleep()): HarvestOaiPmhOptions {
  return {
    baseUrl: s.baseUrl,
    metadataPrefix: 'arXiv',
    set: 'cs',
    extraAllowedHosts: [s.host],
    fetch: { delayMs: 0, jitterMs: 0, backoffBaseMs: 10, sleep: rec.sleep },
    ...extra,
  };
}

async function collect(pages: AsyncIterable<OaiHarvestPage>): Promise<OaiHarvestPage[]> {
  const out: OaiHarvestPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const idOf = (item: IngestItem) => (item.kind === 'paper' ? item.paper.arxivId : item.arxivId);
const ids = (pages: OaiHarvestPage[]) => pages.flatMap((p) => p.items.map(idOf));

describe('harvestOaiPmh over a replayed arXiv', () => {
  it('harvests 3 pages, surviving a 503 with Retry-After and a connection dropped mid-page', async () => {
    const s = await replay({
      pages: THREE_PAGES,
      faults: { 2: { kind: 'unavailable', retryAfter: '1' }, 4: { kind: 'drop', afterBytes: 1_500_000 } },
    });
    const rec = recordingSleep();
    const started = Date.now();
    const pages = await collect(harvestOaiPmh(options(s, {}, rec)));

    expect(pages.map((p) => p.items.length)).toEqual([1000, 1000, 538]);
    expect(pages.map((p) => p.nextToken)).toEqual(['1122234|1001', '1122234|2001', null]);
    const all = ids(pages);
    expect(all).toHaveLength(2538);
    expect(new Set(all).size).toBe(2538);
    expect(all).toContain('math/0611918');

    // The 503 was honoured for the full second it asked for, then the same token was asked again.
    expect(rec.sleeps).toContain(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(s.requests.map((r) => [r.params.resumptionToken ?? null, r.fault])).toEqual([
      [null, null],
      ['1122234|1001', 'unavailable'],
      ['1122234|1001', null],
      ['1122234|2001', 'drop'],
      ['1122234|2001', null],
    ]);
    expect(pages[0]?.maxDatestamp).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(pages[0]?.requestUrl).toBe(`${s.baseUrl}?verb=ListRecords&metadataPrefix=arXiv&set=cs`);
  });

  it('retries a body cut short by an orderly close, which only the XML parser notices', async () => {
    const s = await replay({ pages: ['page-001.xml', 'page-103.xml'], faults: { 1: { kind: 'drop', framing: 'close' } } });
    const pages = await collect(harvestOaiPmh(options(s)));
    const all = ids(pages);
    expect(all).toHaveLength(1538);
    expect(new Set(all).size).toBe(1538);
    expect(s.requests).toHaveLength(3);
  });

  it('stops on abort after the first page and resumes from the saved token without duplicates', async () => {
    const s = await replay({ pages: THREE_PAGES });
    const controller = new AbortController();
    const stored: string[] = [];
    let savedToken: string | null = null;

    const firstRun = (async () => {
      for await (const page of harvestOaiPmh(options(s, { signal: controller.signal }))) {
        // What the caller's transaction does: the items and the checkpoint together.
        stored.push(...page.items.map(idOf));
        savedToken = page.nextToken;
        controller.abort(); // Ctrl-C while the first page is being stored
      }
    })();
    await expect(firstRun).rejects.toMatchObject({ name: 'AbortError' });
    expect(stored).toHaveLength(1000);
    expect(savedToken).toBe('1122234|1001');
    expect(s.requests).toHaveLength(1);

    for await (const page of harvestOaiPmh(options(s, { resumptionToken: savedToken! }))) {
      stored.push(...page.items.map(idOf));
      savedToken = page.nextToken;
    }
    expect(savedToken).toBeNull();
    expect(stored).toHaveLength(2538);
    expect(new Set(stored).size).toBe(2538);
    // The first page was requested once, by the first run only.
    expect(s.requests.map((r) => r.params.resumptionToken ?? null)).toEqual([null, '1122234|1001', '1122234|2001']);
  });

  it('ends with zero pages on noRecordsMatch', async () => {
    const s = await replay({ pages: [path.join(ARXIV_RAW_FIXTURES_DIR, 'ErrorResponseNoRecordsMatch.xml')] });
    const pages = await collect(harvestOaiPmh(options(s, { metadataPrefix: 'arXivRaw', from: '2015-06-01' })));
    expect(pages).toEqual([]);
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]?.params).toMatchObject({ verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'cs', from: '2015-06-01' });
  });

  it('surfaces an expired resumption token as a typed error, without retrying it', async () => {
    const s = await replay({ pages: THREE_PAGES });
    const error = await collect(harvestOaiPmh(options(s, { resumptionToken: '1122234|expired' }))).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'oai_badResumptionToken' });
    expect(isBadResumptionToken(error)).toBe(true);
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]?.params).toEqual({ verb: 'ListRecords', resumptionToken: '1122234|expired' });
  });

  it('surfaces other OAI errors with their code', async () => {
    const s = await replay({ pages: [path.join(ARXIV_RAW_FIXTURES_DIR, 'ErrorResponseBadArgument.xml')] });
    await expect(collect(harvestOaiPmh(options(s)))).rejects.toMatchObject({ code: 'oai_badArgument' });
  });

  it('refuses a base URL that is not an allowed host before any request', async () => {
    const s = await replay({ pages: THREE_PAGES });
    await expect(collect(harvestOaiPmh({ ...options(s), extraAllowedHosts: [] }))).rejects.toMatchObject({ code: 'host_not_allowed' });
    await expect(collect(harvestOaiPmh({ ...options(s), baseUrl: 'http://example.com/oai' }))).rejects.toMatchObject({ code: 'host_not_allowed' });
    expect(s.requests).toHaveLength(0);
  });
});

describe('listRecordsUrl', () => {
  it('defaults to arXiv and sends only the token once there is one', () => {
    expect(listRecordsUrl({ metadataPrefix: 'arXiv', set: 'cs:cs:AI', from: '2025-01-01' }, null)).toBe(
      'https://arxiv.org/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs%3Acs%3AAI&from=2025-01-01',
    );
    expect(listRecordsUrl({ metadataPrefix: 'arXiv', set: 'cs' }, '1122234|1001')).toBe('https://arxiv.org/oai?verb=ListRecords&resumptionToken=1122234%7C1001');
  });
});
