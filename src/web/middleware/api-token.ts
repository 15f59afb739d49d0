/**
 * `Authorization: Bearer <token>` on the API. A write (any state-changing method under `/api/`)
 * with a Bearer token is the token's member, never the session cookie's; an unknown, revoked or
 * malformed token is a 401 before anything runs. Reads ignore the header: they are public, and
 * Hugging Face clients send their own saved token to whatever endpoint they are pointed at.
 * The token is never logged (the access log records method, path and status only).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ApiToken } from '../../domain/api-token.js';
import { isStateChanging } from '../../domain/csrf.js';
import { AppError } from '../../domain/errors.js';
import type { MemberServices } from '../../services/members/members.services.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The API token that authenticated this request, when one did. */
    apiToken: ApiToken | null;
  }
}

export function apiTokenMiddleware(members: MemberServices): MiddlewareHandler {
  return async (c, next) => {
    c.set('apiToken', null);
    const header = c.req.header('authorization');
    if (header === undefined || !c.req.path.startsWith('/api/') || !isStateChanging(c.req.method)) return next();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AppError('invalid_token', 'Send the API token as "Authorization: Bearer <token>".');
    const caller = await members.resolveApiToken(match[1]!);
    // The token's member, whatever cookie came along: a token request is not cookie-authenticated.
    c.set('viewer', { user: caller.user, sessionId: `api-token:${caller.token.id}`, csrfToken: '' });
    c.set('apiToken', caller.token);
    return next();
  };
}

export function getApiToken(c: Context): ApiToken | null {
  return c.get('apiToken') ?? null;
}
