/**
 * How the member side plugs into the web app: `installMemberMiddleware` (security headers,
 * per-address limits on state-changing requests, session, CSRF) must run before any route;
 * `memberRoutes` (member.routes.tsx) is the pages' sub-app. web-app.tsx uses both.
 */
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../domain/errors.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services/services.js';
import { apiTokenMiddleware } from '../middleware/api-token.js';
import { csrfProtection } from '../middleware/csrf.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { securityHeaders } from '../middleware/security-headers.js';
import { clientIp, sessionMiddleware } from '../middleware/session.js';

/** Largest form or JSON body accepted (a comment is at most 10,000 characters). */
const MAX_BODY_BYTES = 1024 * 1024;

/** State-changing requests one client address may make per minute, whatever they target. */
const POSTS_PER_MINUTE_PER_IP = 120;

/**
 * Requests that carry no CSRF token by design, still subject to the Origin/Sec-Fetch-Site check:
 * RFC 8058 one-click unsubscribe (the signed token in the URL is the credential, mail providers
 * post it without cookies), and API calls authenticated by an Authorization header rather than
 * by the session cookie.
 */
/** RFC 8058 one-click unsubscribe: the signed token in the path is the whole credential. */
export function isOneClickUnsubscribe(c: Context): boolean {
  return c.req.method === 'POST' && /^\/digest\/unsubscribe\/[^/]+$/.test(c.req.path);
}

export function isCsrfTokenExempt(c: Context): boolean {
  const path = c.req.path;
  // Exactly the unsubscribe route: a looser match once exempted `/admin/members/unsubscribe/...`.
  if (isOneClickUnsubscribe(c)) return true;
  // An anonymous digest signup (the form embedded in cached public pages, which cannot carry a
  // per-visitor token): no session to ride on, and all it does is mail a confirmation link,
  // which the same request sent from anywhere would do too. Provenance is still checked, and a
  // signed-in member's post (which can start a "for you" digest) still needs the token.
  if (path === '/digest/subscribe' && !c.get('viewer')) return true;
  return path.startsWith('/api/') && c.req.header('authorization') !== undefined;
}

export function installMemberMiddleware(app: Hono, deps: { services: Services; logger: Logger }): void {
  const members = deps.services.members;
  const settings = members.web;
  app.use(securityHeaders({ hsts: settings.publicUrl.startsWith('https:') }));
  app.use(rateLimit({ limit: POSTS_PER_MINUTE_PER_IP, windowMs: 60_000, key: (c) => clientIp(c, settings.trustProxy) }));
  // Bounded before the CSRF check reads the form.
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new AppError('payload_too_large', `Request bodies are limited to ${MAX_BODY_BYTES / 1024} KiB.`);
      },
    }),
  );
  app.use(sessionMiddleware(members));
  app.use(apiTokenMiddleware(members));
  app.use(csrfProtection(settings, { tokenExempt: isCsrfTokenExempt, signedUrlCredential: isOneClickUnsubscribe }));
}
