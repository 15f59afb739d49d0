/**
 * Sessions on the web side: the cookie (HttpOnly, SameSite=Lax, Secure with the `__Host-`
 * prefix behind HTTPS), the middleware that turns it into `c.get('viewer')`, and the client
 * address used by rate limits (X-Forwarded-For only when the operator says a proxy sets it).
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../domain/errors.js';
import type { Viewer } from '../../domain/member.js';
import type { MemberServices, MemberWebSettings } from '../../services/members/members.services.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in member, or null; set by `sessionMiddleware` on every request. */
    viewer: Viewer | null;
    /** Per-request nonce for inline scripts, set by `securityHeaders`. */
    cspNonce: string;
  }
}

export function sessionCookieName(settings: Pick<MemberWebSettings, 'secureCookies'>): string {
  // `__Host-` cookies must be Secure, host-only and Path=/, so a sibling subdomain cannot plant one.
  return settings.secureCookies ? '__Host-pb_session' : 'pb_session';
}

export function readSessionCookie(c: Context, settings: Pick<MemberWebSettings, 'secureCookies'>): string | undefined {
  return getCookie(c, sessionCookieName(settings));
}

export function setSessionCookie(c: Context, settings: MemberWebSettings, token: string, expiresAt: Date): void {
  setCookie(c, sessionCookieName(settings), token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: settings.secureCookies,
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, settings: MemberWebSettings): void {
  deleteCookie(c, sessionCookieName(settings), { path: '/', secure: settings.secureCookies, httpOnly: true, sameSite: 'Lax' });
}

/** The client's address: the socket peer, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // app.request() in tests has no socket.
    return null;
  }
}

export function sessionMiddleware(members: MemberServices): MiddlewareHandler {
  return async (c, next) => {
    const token = readSessionCookie(c, members.web);
    const viewer = token ? await members.resolveSession(token) : null;
    c.set('viewer', viewer);
    // A cookie for a session that ended (signed out elsewhere, expired, suspended) is dropped.
    if (token && !viewer) clearSessionCookie(c, members.web);
    await next();
  };
}

export function getViewer(c: Context): Viewer | null {
  return c.get('viewer') ?? null;
}

