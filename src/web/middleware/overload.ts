/**
 * Graceful overload: expensive routes (search, "For you") pass through a bounded admission queue
 * (domain/admission-queue.ts), so a burst gets quick 503s with Retry-After instead of requests
 * that pile up until clients give up; and every read has a deadline, past which it is answered
 * with a 503 `request_timeout` whatever its handler is still doing. Writes have none: a submission
 * waiting on arXiv (its own timeouts bound it) must not be told "failed" and then succeed.
 */
import type { MiddlewareHandler } from 'hono';
import type { AdmissionQueue } from '../../domain/admission-queue.js';
import { AppError } from '../../domain/errors.js';

/**
 * The job yields once before it starts: a search is one long synchronous stretch, so without the
 * yield each request ran to its end as soon as it was read, the others waited unseen in socket
 * buffers (no queue to bound, no wait to limit), and under load some clients waited for seconds
 * while others were served. With it, every request read in the same turn of the event loop
 * reaches the queue first, in arrival order.
 */
export function admission(queue: AdmissionQueue): MiddlewareHandler {
  return (c, next) =>
    queue.run(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return next();
    });
}

export function deadline(ms: number): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AppError('request_timeout', `The request did not finish within ${ms / 1000} s. Try again in a moment.`, { details: { retryAfterSeconds: 5 } })), ms);
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
