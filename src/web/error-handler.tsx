/**
 * The one place that turns errors into HTTP answers. An AppError's code picks its status from the
 * error catalogue; the body is `{ error: { code, message, details } }` for API clients and a page
 * in the site layout for browsers. Anything else is a bare 500, logged once with the request id.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorKind, httpStatusOf, type ErrorCode } from '../domain/error-catalogue.js';
import { AppError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { ErrorPage } from './layout/error.page.js';

function wantsHtml(c: Context): boolean {
  return !c.req.path.startsWith('/api/') && (c.req.header('accept') ?? '').includes('text/html');
}

/** `browserMessage` replaces `message` on the page only; API clients keep the full message. */
function respond(c: Context, answer: { status: ContentfulStatusCode; code: ErrorCode | 'http_error'; message: string; browserMessage: string; details?: Record<string, unknown> | undefined }): Response | Promise<Response> {
  if (wantsHtml(c)) return c.html(<ErrorPage status={answer.status} message={answer.browserMessage} />, answer.status);
  return c.json({ error: { code: answer.code, message: answer.message, ...(answer.details ? { details: answer.details } : {}) } }, answer.status);
}

/** Answers with an error kind of the catalogue, e.g. `not_found` for a path no route serves. */
export function errorResponse(c: Context, code: ErrorCode, message: string, details?: Record<string, unknown>): Response | Promise<Response> {
  return respond(c, { status: httpStatusOf(code), code, message, browserMessage: errorKind(code).browserMessage ?? message, details });
}

export function createErrorHandler(logger: Logger) {
  return (err: Error, c: Context): Response | Promise<Response> => {
    const requestId = c.get('requestId' as never);
    if (err instanceof AppError) {
      // Rate limits say when to come back (RFC 9110 Retry-After, in seconds).
      const retryAfter = err.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
      // A browser sees a general message for these kinds, so the operator needs the real one.
      const kind = errorKind(err.code);
      if (kind.browserMessage !== undefined && !kind.countedNotLogged) logger.warn({ err, code: err.code, requestId, path: c.req.path }, 'request failed');
      return errorResponse(c, err.code, err.message, err.details);
    }
    if (err instanceof HTTPException) {
      const message = err.message || 'Request failed';
      return respond(c, { status: err.status, code: 'http_error', message, browserMessage: message });
    }
    logger.error({ err, requestId, path: c.req.path }, 'unhandled error');
    return errorResponse(c, 'internal_error', 'Something went wrong on our side.');
  };
}
