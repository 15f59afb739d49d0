/**
 * Security headers on every response: a Content-Security-Policy that allows scripts only from
 * this origin or with the per-request nonce (`c.get('cspNonce')`), no framing, no plugins, forms
 * only to ourselves; plus nosniff, a strict referrer policy, COOP, and HSTS behind HTTPS.
 * A route that sets a header itself keeps its own value.
 */
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Inline style attributes come from rendered math and the page shell; they cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function securityHeaders(options: { hsts: boolean }): MiddlewareHandler {
  return async (c, next) => {
    const nonce = randomBytes(16).toString('base64');
    c.set('cspNonce', nonce);
    await next();
    const set = (name: string, value: string) => {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    };
    set('Content-Security-Policy', contentSecurityPolicy(nonce));
    set('X-Content-Type-Options', 'nosniff');
    set('X-Frame-Options', 'DENY');
    set('Referrer-Policy', 'strict-origin-when-cross-origin');
    set('Cross-Origin-Opener-Policy', 'same-origin');
    set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()');
    if (options.hsts) set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}
