/** The Hono application: routes for pages and API, wired to services; no database access here. */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import { requestId } from 'hono/request-id';
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';
import { hfApi } from './api/hf.api.js';
import { OPENAPI_DOCUMENT } from './api/openapi.js';
import { v1Api } from './api/v1.api.js';
import { digestRoutes } from './digest/digest.routes.js';
import { createErrorHandler, errorResponse } from './error-handler.js';
import { feedRoutes } from './feeds/feeds.routes.js';
import { forYouRoutes } from './for-you/for-you.routes.js';
import { memberRoutes } from './members/member.routes.js';
import { installMemberMiddleware } from './members/member-middleware.js';
import { pageCache } from './middleware/page-cache.js';
import { readerRoutes } from './reader/reader.routes.js';

/** How long an anonymous reader page may be served from memory; votes show up at most this late. */
const PAGE_CACHE_MS = 5_000;

export function createWebApp(deps: { services: Services; logger: Logger }): Hono {
  const app = new Hono();
  app.use(requestId());
  app.onError(createErrorHandler(deps.logger));
  app.notFound((c) => errorResponse(c, 'not_found', `Nothing at ${c.req.path}.`));
  installMemberMiddleware(app, deps);

  // Public reads: any origin may GET them (CORS), and unchanged answers revalidate to 304 (ETag).
  for (const path of ['/api/*', '/feeds/*']) {
    app.use(path, cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['Link', 'ETag', 'Last-Modified'], maxAge: 86_400 }));
    app.use(path, etag());
  }
  const cache = pageCache({ ttlMs: PAGE_CACHE_MS, maxEntries: 2_000 });
  for (const path of ['/', '/date/*', '/week/*', '/month/*', '/papers/*', '/search']) app.use(path, cache);

  app.route('/', memberRoutes(deps));
  app.route('/', digestRoutes(deps));
  app.route('/', forYouRoutes(deps));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/api/openapi.json', (c) => c.json(OPENAPI_DOCUMENT));
  app.route('/', hfApi(deps));
  app.route('/', v1Api(deps));
  app.route('/', feedRoutes(deps));
  app.route('/', readerRoutes(deps));

  return app;
}
