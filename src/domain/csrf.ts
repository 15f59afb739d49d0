/**
 * Cross-site request forgery rules. A state-changing request must come from our own pages:
 * browsers say where a request comes from (`Sec-Fetch-Site`, `Origin`), and our forms carry a
 * token the attacker's page cannot read. Both checks must pass; the token alone covers clients
 * that send neither header.
 */
import { timingSafeEqual } from 'node:crypto';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Decides from the browser's provenance headers. `allowedOrigins` are our own origins
 * (the public URL, and the address the request was made to).
 */
export function checkRequestProvenance(headers: { origin: string | undefined; secFetchSite: string | undefined }, allowedOrigins: readonly string[]): OriginVerdict {
  const site = headers.secFetchSite?.trim().toLowerCase();
  // `none` is a navigation the user started (typed URL, bookmark); a form post cannot have it
  // from another site.
  if (site && site !== 'same-origin' && site !== 'none') return { ok: false, reason: `Sec-Fetch-Site is "${site}"` };
  const origin = headers.origin?.trim();
  if (origin !== undefined && origin !== '') {
    if (origin === 'null') return { ok: false, reason: 'Origin is "null" (sandboxed or privacy-sensitive context)' };
    const normalized = normalizeOrigin(origin);
    if (!normalized || !allowedOrigins.some((o) => normalizeOrigin(o) === normalized)) return { ok: false, reason: `Origin ${origin} is not this site` };
  }
  return { ok: true };
}

export function normalizeOrigin(value: string): string | null {
  try {
    return new URL(value).origin.toLowerCase();
  } catch {
    return null;
  }
}

/** Constant-time comparison of two tokens. */
export function tokensMatch(expected: string | undefined | null, given: string | undefined | null): boolean {
  if (!expected || !given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
