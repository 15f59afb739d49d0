/**
 * The central error handler: statuses come from the error catalogue, API clients get the JSON
 * body with the full message and details, browsers get a page in the site layout that never
 * shows an upstream's address or network error, and unknown errors are a logged bare 500.
 */
import { Hono } from 'hono';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../domain/error-catalogue.js';
import { AppError, UpstreamError } from '../domain/errors.js';
import { RateLimitedError } from '../domain/rate-limit.js';
import { createErrorHandler, errorResponse } from './error-handler.js';

const html = { accept: 'text/html' };
const unreachable = () =>
  new UpstreamError(
    'upstream_unavailable',
    'https://export.arxiv.org.invalid/api/query?id_list=2401.00001 failed after 2 attempts (last: fetch failed: ENOTFOUND)',
    { url: 'https://export.arxiv.org.invalid/api/query?id_list=2401.00001', attempts: 2, reason: 'fetch failed: ENOTFOUND' },
  );

function appThrowing(error: () => Error) {
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const app = new Hono();
  app.onError(createErrorHandler(logger));
  app.notFound((c) => errorResponse(c, 'not_found', `Nothing at ${c.req.path}.`));
  app.get('/boom', () => {
    throw error();
  });
  app.get('/api/boom', () => {
    throw error();
  });
  return { app, logs };
}

describe('error handler', () => {
  it('takes every AppError status from the catalogue', async () => {
    for (const code of ['paper_not_found', 'handle_taken', 'sign_in_link_expired', 'payload_too_large', 'upstream_unavailable'] as const) {
      const { app } = appThrowing(() => new AppError(code, 'x'));
      expect((await app.request('/api/boom')).status).toBe(ERROR_CATALOGUE[code].status);
    }
  });

  it('shows a browser a friendly 502 page in the site layout, without the upstream URL or network error', async () => {
    const { app, logs } = appThrowing(unreachable);
    const res = await app.request('/boom', { headers: html });
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('text/html');
    const body = await res.text();
    expect(body).toContain('<header class="site-header">');
    expect(body).toContain(ERROR_CATALOGUE.upstream_unavailable.browserMessage);
    expect(body).not.toContain('arxiv.org.invalid');
    expect(body).not.toContain('ENOTFOUND');
    // The operator still learns what failed.
    expect(logs).toContainEqual(expect.objectContaining({ level: 40, code: 'upstream_unavailable', err: expect.objectContaining({ message: expect.stringContaining('ENOTFOUND') }) }));
  });

  it('keeps the full message and details for API clients', async () => {
    const { app } = appThrowing(unreachable);
    for (const res of [await app.request('/api/boom', { headers: html }), await app.request('/boom', { headers: { accept: 'application/json' } })]) {
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual({ error: { code: 'upstream_unavailable', message: unreachable().message, details: unreachable().details } });
    }
  });

  it('says when to come back after a rate limit', async () => {
    const { app } = appThrowing(() => new RateLimitedError('Too many votes.', 2.2));
    const res = await app.request('/api/boom');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
  });

  it('answers anything else with a bare 500, logged once', async () => {
    const { app, logs } = appThrowing(() => new Error('secret stack detail'));
    const page = await app.request('/boom', { headers: html });
    expect(page.status).toBe(500);
    expect(await page.text()).not.toContain('secret stack detail');
    const json = await app.request('/api/boom');
    expect(await json.json()).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
    expect(logs.filter((l) => l.msg === 'unhandled error')).toHaveLength(2);
  });

  it('renders a 404 for an unknown path in the site layout for browsers, as JSON otherwise', async () => {
    const { app } = appThrowing(unreachable);
    const page = await app.request('/nowhere', { headers: html });
    expect(page.status).toBe(404);
    expect(await page.text()).toMatch(/<header class="site-header">[\s\S]*Nothing at \/nowhere\./);
    expect(await (await app.request('/nowhere')).json()).toEqual({ error: { code: 'not_found', message: 'Nothing at /nowhere.' } });
  });
});
