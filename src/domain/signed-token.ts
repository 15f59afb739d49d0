/**
 * Signed tokens for links in emails (confirm, manage preferences, unsubscribe). A token names a
 * subject (a random public key, never a row id), optionally an expiry, and carries an HMAC-SHA256
 * over the purpose, subject and expiry, so a token for one purpose is useless for another.
 * Several secrets may verify (key rotation); the first one signs.
 *
 * Format: `<subject>.<expiry in base36 seconds, or 0>.<mac: 128 bits base64url>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'confirm' | 'manage' | 'unsubscribe';

const SUBJECT_RE = /^[A-Za-z0-9_-]{8,64}$/;
const MAC_LENGTH = 22;

function mac(secret: string, purpose: TokenPurpose, subject: string, expiry: string): string {
  return createHmac('sha256', secret).update(`paperboy/${purpose}\n${subject}\n${expiry}`).digest('base64url').slice(0, MAC_LENGTH);
}

export function signToken(secret: string, purpose: TokenPurpose, subject: string, options: { expiresAt?: Date } = {}): string {
  if (!SUBJECT_RE.test(subject)) throw new RangeError('token subject must be 8-64 base64url characters');
  if (secret.length < 16) throw new RangeError('token secret is too short');
  const expiry = options.expiresAt ? Math.ceil(options.expiresAt.getTime() / 1000).toString(36) : '0';
  return `${subject}.${expiry}.${mac(secret, purpose, subject, expiry)}`;
}

export type TokenCheck = { ok: true; subject: string } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** Checks a token against every secret in constant time per comparison. */
export function verifyToken(secrets: readonly string[], purpose: TokenPurpose, token: string, now: Date): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [subject, expiry, given] = parts as [string, string, string];
  if (!SUBJECT_RE.test(subject) || !/^[0-9a-z]{1,10}$/.test(expiry) || given.length !== MAC_LENGTH) return { ok: false, reason: 'malformed' };
  const givenBuf = Buffer.from(given);
  const valid = secrets.some((secret) => timingSafeEqual(Buffer.from(mac(secret, purpose, subject, expiry)), givenBuf));
  if (!valid) return { ok: false, reason: 'bad_signature' };
  if (expiry !== '0' && parseInt(expiry, 36) * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, subject };
}
