/**
 * Per-client request limits for state-changing requests, answered with 429 and Retry-After
 * (through the central error handler). Finer limits (sign-in per address, comments, submissions,
 * votes) live in the services; this one caps floods from one address whatever they target.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { isStateChanging } from '../../domain/csrf.js';
import { RateLimitedError, SlidingWindowLimiter } from '../../domain/rate-limit.js';

/**
 * `headers`: say the limit on every answer, as the IETF RateLimit header fields draft does
 * (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` in seconds); the JSON API does.
 */
export function rateLimit(options: { limit: number; windowMs: number; key: (c: Context) => string | null; onlyStateChanging?: boolean; headers?: boolean; code?: 'requests_per_ip' | 'api_requests_per_ip'; now?: () => number }): MiddlewareHandler {
  const limiter = new SlidingWindowLimiter({ limit: options.limit, windowMs: options.windowMs });
  const now = options.now ?? Date.now;
  return async (c, next) => {
    if (options.onlyStateChanging !== false && !isStateChanging(c.req.method)) return next();
    const key = options.key(c);
    if (key !== null) {
      const decision = limiter.hit(key, now());
      if (options.headers) {
        c.header('RateLimit-Limit', String(options.limit));
        c.header('RateLimit-Remaining', String(decision.remaining));
        c.header('RateLimit-Reset', String(Math.max(1, Math.ceil((decision.resetMs ?? options.windowMs) / 1000))));
      }
      if (!decision.allowed) throw new RateLimitedError('Too many requests from your address. Wait a little and try again.', decision.retryAfterMs / 1000, { limit: options.code ?? 'requests_per_ip' });
    }
    return next();
  };
}
