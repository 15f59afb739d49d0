/** The Hono application: routes for pages and API, wired to services; no database access here. */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import { requestId } from 'hono/request-id';
import type { HttpConfig } from '../config/config.js';
import { AdmissionQueue } from '../domain/admission-queue.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';
import { hfWriteApi } from './api/hf-write.api.js';
import { hfApi } from './api/hf.api.js';
import { OPENAPI_DOCUMENT } from './api/openapi.js';
import { v1Api } from './api/v1.api.js';
import { digestRoutes } from './digest/digest.routes.js';
import { createErrorHandler, errorResponse } from './error-handler.js';
import { feedRoutes } from './feeds/feeds.routes.js';
import { forYouRoutes } from './for-you/for-you.routes.js';
import { memberRoutes } from './members/member.routes.js';
import { installMemberMiddleware } from './members/member-middleware.js';
import { createResponseCache } from './middleware/response-cache.js';
import { admission, deadline } from './middleware/overload.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestObserver } from './middleware/request-observer.js';
import { clientIp } from './middleware/session.js';
import { readerRoutes } from './reader/reader.routes.js';

/**
 * How long a cached answer may serve while the data stays the same: bounds what changes with the
 * clock alone (the latest day, trending decay). Writes invalidate at once (response-cache.ts).
 */
const ANSWER_CACHE_MAX_AGE_MS = 30_000;

/** Routes whose work grows with the corpus: they wait their turn in the admission queue. */
const HEAVY_ROUTES = ['/search', '/api/papers/search', '/api/v1/search', '/api/v1/suggest', '/feeds/search.atom', '/feeds/search.rss', '/for-you', '/api/v1/for-you'];

export function createWebApp(deps: { services: Services; logger: Logger; http: HttpConfig }): Hono {
  const app = new Hono();
  const { services, http } = deps;
  app.use(requestId());
  app.use(requestObserver({ logger: deps.logger, metrics: services.metrics, accessLog: http.accessLog }));
  app.onError(createErrorHandler(deps.logger));
  app.notFound((c) => errorResponse(c, 'not_found', `Nothing at ${c.req.path}.`));
  app.use(deadline(http.requestTimeoutMs));

  installMemberMiddleware(app, deps);

  // Liveness, readiness and metrics: before the API's rate limit and the answer cache.
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const readiness = await services.readiness();
    c.header('Cache-Control', 'no-store');
    return c.json({ status: readiness.ready ? 'ready' : 'not ready', ...readiness }, readiness.ready ? 200 : 503);
  });
  if (http.metrics) {
    app.get('/metrics', async (c) => {
      const { contentType, body } = await services.metrics.render();
      return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
    });
  }

  // Public reads: any origin may GET them (CORS), and unchanged answers revalidate to 304 (ETag).
  for (const path of ['/api/*', '/feeds/*']) {
    app.use(path, cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['Link', 'ETag', 'Last-Modified', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'], maxAge: 86_400 }));
    app.use(path, etag());
  }
  if (http.apiRequestsPerMinute > 0) {
    app.use('/api/*', rateLimit({ limit: http.apiRequestsPerMinute, windowMs: 60_000, key: (c) => clientIp(c, services.members.web.trustProxy), onlyStateChanging: false, headers: true, code: 'api_requests_per_ip' }));
  }
  // Answers for anonymous readers come from memory until something is written.
  const cache = createResponseCache({ version: () => services.contentVersion(), maxAgeMs: ANSWER_CACHE_MAX_AGE_MS, settleMs: http.answerCacheSettleMs, maxEntries: 4_000, maxBytes: 64 * 1024 * 1024 });
  for (const path of ['/', '/date/*', '/week/*', '/month/*', '/papers/*', '/search', '/api/daily_papers', '/api/papers/*', '/api/v1/*', '/feeds/*']) app.use(path, cache.middleware);
  // What the cache could not answer and costs real work waits its turn.
  const heavy = new AdmissionQueue({ concurrency: http.heavyConcurrency, maxQueued: http.heavyQueue, maxWaitMs: http.heavyQueueWaitMs });
  for (const path of HEAVY_ROUTES) app.use(path, admission(heavy));
  services.metrics.gauge('paperboy_heavy_queue', 'Expensive requests (search, For you) running and waiting for a turn on this instance.', () => {
    const s = heavy.stats();
    return [{ labels: { state: 'running' }, value: s.running }, { labels: { state: 'queued' }, value: s.queued }];
  }, ['state']);
  services.metrics.gauge('paperboy_heavy_rejected', 'Expensive requests turned away with a 503 since start (queue full or waited too long).', () => [{ value: heavy.stats().rejected }]);
  services.metrics.gauge('paperboy_answer_cache', 'Answers served from the in-process cache since start (hits, misses), and what it holds (entries, bytes).', () => {
    const s = cache.stats();
    return [{ labels: { kind: 'hits' }, value: s.hits }, { labels: { kind: 'misses' }, value: s.misses }, { labels: { kind: 'entries' }, value: s.entries }, { labels: { kind: 'bytes' }, value: s.bytes }];
  }, ['kind']);

  app.route('/', memberRoutes(deps));
  app.route('/', digestRoutes(deps));
  app.route('/', forYouRoutes(deps));

  app.get('/api/openapi.json', (c) => c.json(OPENAPI_DOCUMENT));
  app.route('/', hfWriteApi(deps));
  app.route('/', hfApi(deps));
  app.route('/', v1Api(deps));
  app.route('/', feedRoutes(deps));
  app.route('/', readerRoutes(deps));

  return app;
}
