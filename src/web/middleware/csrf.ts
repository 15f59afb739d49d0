/**
 * CSRF protection for every state-changing request: the browser's provenance headers
 * (Sec-Fetch-Site, Origin) must say it comes from this site, and the request must carry the
 * token of the session (or, before sign-in, of the visitor's `pb_csrf` cookie) in the `_csrf`
 * form field or the `X-CSRF-Token` header. Failing either is a 403 with a page that says why.
 */
import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../domain/errors.js';
import { checkRequestProvenance, CSRF_FIELD, CSRF_HEADER, isStateChanging, normalizeOrigin, tokensMatch } from '../../domain/csrf.js';
import type { MemberWebSettings } from '../../services/members/members.services.js';

function anonCookieName(settings: Pick<MemberWebSettings, 'secureCookies'>): string {
  return settings.secureCookies ? '__Host-pb_csrf' : 'pb_csrf';
}

/**
 * The token forms on this page must carry. Signed-in: the session's token. Otherwise the
 * visitor's CSRF cookie, set now if missing (only pages with forms call this, so plain reads
 * stay cookie-free and cacheable).
 */
export function csrfToken(c: Context, settings: MemberWebSettings): string {
  const viewer = c.get('viewer');
  if (viewer) return viewer.csrfToken;
  const name = anonCookieName(settings);
  let token = getCookie(c, name);
  if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) {
    token = randomBytes(24).toString('base64url');
    setCookie(c, name, token, { httpOnly: true, sameSite: 'Lax', secure: settings.secureCookies, path: '/' });
  }
  return token;
}

export class CsrfError extends AppError {
  constructor(reason: string) {
    super('csrf_failed', 'This form was sent from another site or has expired. Go back, reload the page and try again.', { details: { reason } });
  }
}

export interface CsrfOptions {
  /** Requests that need no token (still subject to the provenance check), e.g. RFC 8058 one-click unsubscribe. */
  tokenExempt?: (c: Context) => boolean;
  /**
   * Requests whose credential is a signed token in the URL, so neither check applies: RFC 8058
   * one-click unsubscribe is posted by mail providers (no Origin) and by webmail in the browser
   * (a foreign Origin), and must work for both.
   */
  signedUrlCredential?: (c: Context) => boolean;
}

export function csrfProtection(settings: MemberWebSettings, options: CsrfOptions = {}): MiddlewareHandler {
  const publicOrigin = normalizeOrigin(settings.publicUrl);
  return async (c, next) => {
    if (!isStateChanging(c.req.method)) return next();
    if (options.signedUrlCredential?.(c)) return next();
    const own = [new URL(c.req.url).origin, ...(publicOrigin ? [publicOrigin] : [])];
    const verdict = checkRequestProvenance({ origin: c.req.header('origin'), secFetchSite: c.req.header('sec-fetch-site') }, own);
    if (!verdict.ok) throw new CsrfError(verdict.reason);
    if (options.tokenExempt?.(c)) return next();

    const viewer = c.get('viewer');
    const expected = viewer ? viewer.csrfToken : getCookie(c, anonCookieName(settings));
    let given = c.req.header(CSRF_HEADER);
    if (!given) {
      const type = c.req.header('content-type') ?? '';
      if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
        const body = await c.req.parseBody();
        const field = body[CSRF_FIELD];
        given = typeof field === 'string' ? field : undefined;
      }
    }
    if (!tokensMatch(expected, given)) throw new CsrfError(given ? 'token does not match' : 'token missing');
    return next();
  };
}
