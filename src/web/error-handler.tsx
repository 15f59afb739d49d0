/**
 * The one place that turns errors into HTTP answers: AppError codes map to statuses and a JSON
 * body `{ error: { code, message, details } }` (or a small HTML page for browsers); anything
 * else is a bare 500, logged once with the request id.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../domain/errors.js';
import type { Logger } from '../logger.js';

const STATUS_BY_CODE: Record<string, number> = {
  invalid_input: 400,
  parse_error: 400,
  paper_not_found: 404,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  csrf_failed: 403,
  conflict: 409,
  rate_limited: 429,
  upstream_unavailable: 502,
  // Members (issue 5).
  member_suspended: 403,
  already_on_feed: 409,
  handle_taken: 409,
  sign_in_link_used: 410,
  sign_in_link_expired: 410,
  sign_in_link_invalid: 400,
  host_not_allowed: 400,
  payload_too_large: 413,
};

export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? (code.endsWith('_not_found') ? 404 : 400);
}

function wantsHtml(c: Context): boolean {
  return !c.req.path.startsWith('/api/') && (c.req.header('accept') ?? '').includes('text/html');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function errorResponse(c: Context, status: number, code: string, message: string, details?: Record<string, unknown>): Response {
  if (wantsHtml(c)) {
    return c.html(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status} · Paperboy</title></head><body><main><h1>${status}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the feed</a></p></main></body></html>`,
      status as 400,
    );
  }
  return c.json({ error: { code, message, ...(details ? { details } : {}) } }, status as 400);
}

export function createErrorHandler(logger: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof AppError) {
      // Rate limits say when to come back (RFC 9110 Retry-After, in seconds).
      const retryAfter = err.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
      return errorResponse(c, statusForCode(err.code), err.code, err.message, err.details);
    }
    if (err instanceof HTTPException) return errorResponse(c, err.status, 'http_error', err.message || 'Request failed');
    logger.error({ err, requestId: c.get('requestId' as never), path: c.req.path }, 'unhandled error');
    return errorResponse(c, 500, 'internal_error', 'Something went wrong on our side.');
  };
}
