/** The Hono application: routes for pages and API, wired to services; no database access here. */
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { ValidationError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';
import { createErrorHandler, errorResponse } from './error-handler.js';
import { FeedPage } from './pages/feed.page.js';
import { installMemberMiddleware, mountMemberRoutes } from './members/mount.js';

const PAGE_SIZE = 30;

export function createWebApp(deps: { services: Services; logger: Logger }): Hono {
  const app = new Hono();
  app.use(requestId());
  app.onError(createErrorHandler(deps.logger));
  app.notFound((c) => errorResponse(c, 404, 'not_found', `Nothing at ${c.req.path}.`));
  installMemberMiddleware(app, deps);
  mountMemberRoutes(app, deps);

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/', async (c) => {
    const raw = c.req.query('page') ?? '0';
    if (!/^\d{1,6}$/.test(raw)) throw new ValidationError(`"page" must be a non-negative integer, got "${raw}".`, { field: 'page' });
    const page = Number(raw);
    const papers = await deps.services.recentPapers({ limit: PAGE_SIZE + 1, offset: page * PAGE_SIZE });
    return c.html(<FeedPage papers={papers.slice(0, PAGE_SIZE)} page={page} hasNext={papers.length > PAGE_SIZE} />);
  });

  return app;
}
