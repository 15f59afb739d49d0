/** The Hono application: routes for pages and API, wired to services; no database access here. */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import { requestId } from 'hono/request-id';
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';
import { mountHfApi } from './api/hf.api.js';
import { OPENAPI_DOCUMENT } from './api/openapi.js';
import { mountV1Api } from './api/v1.api.js';
import { mountDigestRoutes } from './digest/digest.routes.js';
import { createErrorHandler, errorResponse } from './error-handler.js';
import { mountFeedRoutes } from './feeds/feeds.routes.js';
import { mountForYouRoutes } from './for-you/for-you.routes.js';
import { installMemberMiddleware, mountMemberRoutes } from './members/mount.js';
import { pageCache } from './middleware/page-cache.js';
import { mountReaderRoutes } from './reader/reader.routes.js';

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

  mountMemberRoutes(app, deps);
  mountDigestRoutes(app, deps);
  mountForYouRoutes(app, deps);

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/api/openapi.json', (c) => c.json(OPENAPI_DOCUMENT));
  mountHfApi(app, deps);
  mountV1Api(app, deps);
  mountFeedRoutes(app, deps);
  mountReaderRoutes(app, deps);

  return app;
}
