/**
 * Overload answers through the real error handler: a full admission queue and a request past
 * its deadline are quick 503s with Retry-After and a JSON error naming the problem; pages get
 * the site's error page. Requests that were admitted still finish normally.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { AdmissionQueue } from '../../domain/admission-queue.js';
import { createLogger } from '../../logger.js';
import { createErrorHandler } from '../error-handler.js';
import { admission, deadline } from './overload.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('overload middleware', () => {
  it('answers 503 with Retry-After when the queue is full, and serves the admitted requests', async () => {
    const app = new Hono();
    app.onError(createErrorHandler(createLogger('silent')));
    const g = gate();
    app.use('/search', admission(new AdmissionQueue({ concurrency: 1, maxQueued: 1, maxWaitMs: 10_000 })));
    app.get('/search', async (c) => {
      await g.opened;
      return c.json({ ok: true });
    });
    const running = app.request('/search');
    const queued = app.request('/search');
    await new Promise((r) => setImmediate(r));
    const rejected = await app.request('/search', { headers: { accept: 'application/json' } });
    expect(rejected.status).toBe(503);
    expect(rejected.headers.get('retry-after')).toBe('1');
    expect(((await rejected.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'overloaded', message: expect.stringContaining('busy') });
    const page = await app.request('/search', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('very busy');
    g.open();
    expect((await running).status).toBe(200);
    expect((await queued).status).toBe(200);
  });

  it('answers 503 request_timeout when a handler outlives the deadline', async () => {
    const app = new Hono();
    app.onError(createErrorHandler(createLogger('silent')));
    app.use(deadline(30));
    app.get('/slow', () => new Promise<Response>(() => undefined));
    app.get('/fast', (c) => c.text('ok'));
    const slow = await app.request('/slow');
    expect(slow.status).toBe(503);
    expect(slow.headers.get('retry-after')).toBe('5');
    expect(((await slow.json()) as { error: { code: string } }).error.code).toBe('request_timeout');
    expect(await (await app.request('/fast')).text()).toBe('ok');
  });

  it('lets a write run past the deadline and answer for itself', async () => {
    const app = new Hono();
    app.onError(createErrorHandler(createLogger('silent')));
    app.use(deadline(20));
    app.post('/submit', async (c) => {
      await new Promise((r) => setTimeout(r, 60));
      return c.text('submitted');
    });
    const res = await app.request('/submit', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('submitted');
  });
});

describe('overload answers in the log', () => {
  it('does not log each overload 503 (a metric counts them), but logs a timed-out request', async () => {
    const { pino } = await import('pino');
    const { AppError } = await import('../../domain/errors.js');
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const app = new Hono();
    app.onError(createErrorHandler(logger));
    app.get('/busy', () => {
      throw new AppError('overloaded', 'The server is busy.');
    });
    app.get('/slow', () => {
      throw new AppError('request_timeout', 'No answer within 15 s.');
    });
    for (let i = 0; i < 20; i++) expect((await app.request('/busy')).status).toBe(503);
    expect(lines).toEqual([]);
    expect((await app.request('/slow')).status).toBe(503);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('request_timeout');
  });
});
