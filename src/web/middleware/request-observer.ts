/**
 * Per request, once answered: a structured access log line (method, path, route pattern,
 * status, milliseconds, request id) and the request's count and latency in the metrics.
 * The route is the pattern that answered (`/papers/:rest{.+}`), so metrics stay bounded.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../services/metrics/metrics.js';

export function requestObserver(deps: { logger: Logger; metrics: Metrics; accessLog: boolean }): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = routePath(c) || 'unmatched';
      const status = c.res.status;
      deps.metrics.observeRequest(c.req.method, route, status, seconds);
      if (deps.accessLog) deps.logger.info({ method: c.req.method, path: c.req.path, route, status, ms: Math.round(seconds * 10_000) / 10, requestId: c.get('requestId' as never) }, 'request');
    }
  };
}
