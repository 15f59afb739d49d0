import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../domain/errors.js';
import { assertHostAllowed, createPoliteFetch, parseRetryAfter, sleep, type PoliteFetchOptions } from './polite-fetch.js';
import { CS_HARVEST_DIR, startOaiReplayServer, type OaiReplayServer, type OaiReplayServerOptions } from './testing/oai-replay.server.js';

const page1 = readFileSync(path.join(CS_HARVEST_DIR, 'page-001.xml'), 'utf8');

let server: OaiReplayServer | undefined;
const extraServers: http.Server[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const s of extraServers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  vi.restoreAllMocks();
});

async function replay(options: Partial<OaiReplayServerOptions> = {}) {
  server = await startOaiReplayServer({ pages: ['page-001.xml'], ...options });
  return server;
}

/** Records every pause instead of waiting, so tests assert the delays without spending them. */
function recordingSleep() {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

function client(extra: PoliteFetchOptions = {}) {
  const rec = recordingSleep();
  const fetcher = createPoliteFetch({ extraAllowedHosts: ['127.0.0.1'], delayMs: 0, jitterMs: 0, backoffBaseMs: 10, sleep: rec.sleep, ...extra });
  return { fetcher, sleeps: rec.sleeps };
}

async function rawServer(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  extraServers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const url = (s: OaiReplayServer) => `${s.baseUrl}?verb=ListRecords&metadataPrefix=arXiv&set=cs`;

describe('host allowlist', () => {
  it('rejects hosts that are not arXiv before any connection is made', async () => {
    const s = await replay();
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const fetcher = createPoliteFetch({ sleep: async () => undefined });
    for (const target of ['http://example.com/oai', url(s), 'file:///etc/passwd', 'ftp://arxiv.org/oai']) {
      await expect(fetcher.getText(target)).rejects.toMatchObject({ code: 'host_not_allowed' });
    }
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(s.requests).toHaveLength(0);
  });

  it('allows arXiv hosts and explicitly added ones', () => {
    expect(assertHostAllowed('https://arxiv.org/oai?verb=Identify').hostname).toBe('arxiv.org');
    expect(assertHostAllowed('http://export.arxiv.org/oai2').hostname).toBe('export.arxiv.org');
    expect(assertHostAllowed('http://127.0.0.1:8080/oai', ['127.0.0.1']).port).toBe('8080');
    expect(() => assertHostAllowed('https://arxiv.org.evil.test/oai')).toThrow(expect.objectContaining({ code: 'host_not_allowed' }));
  });

  it('checks every redirect hop against the allowlist', async () => {
    const base = await rawServer((_req, res) => {
      res.writeHead(302, { location: 'http://example.com/steal' });
      res.end();
    });
    const { fetcher } = client();
    await expect(fetcher.getText(`${base}/oai`)).rejects.toMatchObject({ code: 'host_not_allowed', details: { host: 'example.com' } });
  });
});

describe('polite GET', () => {
  it('identifies Paperboy in the User-Agent and returns the body', async () => {
    const s = await replay();
    const { fetcher } = client();
    expect(await fetcher.getText(url(s))).toBe(page1);
    expect(s.requests[0]?.userAgent).toMatch(/^Paperboy\//);
  });

  it('waits the polite delay plus jitter between requests', async () => {
    const s = await replay();
    const { fetcher, sleeps } = client({ delayMs: 3000, jitterMs: 1000, random: () => 0.25, now: () => 1_000_000 });
    await fetcher.getText(url(s));
    expect(sleeps).toEqual([]);
    await fetcher.getText(url(s));
    expect(sleeps).toEqual([3250]);
  });

  it('honours Retry-After on 503 (seconds), then succeeds', async () => {
    const s = await replay({ faults: { 1: { kind: 'unavailable', retryAfter: '1' } } });
    const retries: unknown[] = [];
    const { fetcher, sleeps } = client({ onRetry: (e) => retries.push(e) });
    expect(await fetcher.getText(url(s))).toBe(page1);
    expect(sleeps).toEqual([1000]);
    expect(retries).toEqual([expect.objectContaining({ attempt: 1, delayMs: 1000, status: 503 })]);
    expect(s.requests.map((r) => r.fault)).toEqual(['unavailable', null]);
  });

  it('honours Retry-After on 429 given as an HTTP date, and caps absurd values', async () => {
    const now = Date.parse('2025-03-01T12:00:00Z');
    const s = await replay({
      faults: {
        1: { kind: 'unavailable', status: 429, retryAfter: 'Sat, 01 Mar 2025 12:00:07 GMT' },
        2: { kind: 'unavailable', retryAfter: '86400' },
      },
    });
    const { fetcher, sleeps } = client({ now: () => now, maxRetryAfterMs: 600_000 });
    await fetcher.getText(url(s));
    expect(sleeps).toEqual([7000, 600_000]);
  });

  it('retries a connection dropped mid-body and returns the whole body', async () => {
    const s = await replay({ faults: { 1: { kind: 'drop', afterBytes: 100_000 } } });
    const { fetcher, sleeps } = client();
    expect(await fetcher.getText(url(s))).toBe(page1);
    expect(s.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it('backs off exponentially and gives up after maxRetries with upstream_unavailable', async () => {
    const s = await replay({ faults: { 1: { kind: 'unavailable', retryAfter: null }, 2: { kind: 'unavailable', retryAfter: null }, 3: { kind: 'unavailable', retryAfter: null } } });
    const { fetcher, sleeps } = client({ maxRetries: 2, backoffBaseMs: 1000, random: () => 1 });
    const error = await fetcher.getText(url(s)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'upstream_unavailable', details: { attempts: 3, status: 503 } });
    expect(sleeps).toEqual([1000, 2000]);
    expect(s.requests).toHaveLength(3);
  });

  it('does not retry a client error', async () => {
    const s = await replay({ faults: { 1: { kind: 'unavailable', status: 404, retryAfter: null } } });
    const { fetcher } = client();
    await expect(fetcher.getText(url(s))).rejects.toMatchObject({ code: 'upstream_bad_status', details: { status: 404 } });
    expect(s.requests).toHaveLength(1);
  });

  it('times out a silent server and retries', async () => {
    let calls = 0;
    const base = await rawServer(() => void calls++); // never answers
    const { fetcher } = client({ timeoutMs: 100, maxRetries: 1 });
    await expect(fetcher.getText(`${base}/oai`)).rejects.toMatchObject({ code: 'upstream_unavailable', details: { reason: 'timeout' } });
    expect(calls).toBe(2);
  });

  it('stops at once when aborted during a Retry-After wait', async () => {
    const s = await replay({ faults: { 1: { kind: 'unavailable', retryAfter: '600' } } });
    const fetcher = createPoliteFetch({ extraAllowedHosts: ['127.0.0.1'], delayMs: 0, jitterMs: 0, sleep });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(fetcher.getText(url(s), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(s.requests).toHaveLength(1);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2025-03-01T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
