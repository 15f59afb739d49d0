/**
 * Signed links for subscribers: confirm (expires after 7 days), preferences and one-click
 * unsubscribe (do not expire: RFC 8058 expects old digests' links to keep working), and the
 * List-Unsubscribe header. The signing secret comes from TOKEN_SECRET or, when that is unset, is
 * generated once and kept in the database so every instance and restart agrees on it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config/config.js';
import { AppError } from '../../domain/errors.js';
import { signToken, verifyToken, type TokenPurpose } from '../../domain/signed-token.js';
import { addressOf } from '../../mail/mime.js';
import type { Db } from '../../store/database.js';
import { getOrCreateSecret } from '../../store/delivery.repository.js';

export const CONFIRM_LINK_DAYS = 7;

export interface DigestLinks {
  confirmUrl(publicKey: string, now: Date): string;
  preferencesUrl(publicKey: string): string;
  unsubscribeUrl(publicKey: string): string;
  /** `<https://...>, <mailto:...>`; pass the URL from unsubscribeUrl() to avoid signing twice. */
  listUnsubscribeHeader(publicKey: string, unsubscribeUrl?: string): string;
  /** The subscription key a token names, or an `invalid_link` / `link_expired` error. */
  verify(purpose: TokenPurpose | readonly TokenPurpose[], token: string, now: Date): string;
}

export async function loadLinkSecrets(config: Config, db: Db): Promise<string[]> {
  if (config.digest.tokenSecrets.length > 0) return [...config.digest.tokenSecrets];
  return [await getOrCreateSecret(db.kysely, 'link_token_secret', randomBytes(32).toString('base64url'), new Date().toISOString())];
}

export function createDigestLinks(config: Config, secrets: readonly string[]): DigestLinks {
  const base = config.publicUrl.replace(/\/+$/, '');
  const secret = secrets[0]!;
  const mailto = config.digest.unsubscribeMailto ?? addressOf(config.mail.from);
  return {
    confirmUrl: (key, now) => `${base}/digest/confirm/${signToken(secret, 'confirm', key, { expiresAt: new Date(now.getTime() + CONFIRM_LINK_DAYS * 86_400_000) })}`,
    preferencesUrl: (key) => `${base}/digest/preferences/${signToken(secret, 'manage', key)}`,
    unsubscribeUrl: (key) => `${base}/digest/unsubscribe/${signToken(secret, 'unsubscribe', key)}`,
    listUnsubscribeHeader(key, unsubscribeUrl) {
      const url = unsubscribeUrl ?? `${base}/digest/unsubscribe/${signToken(secret, 'unsubscribe', key)}`;
      const token = url.slice(url.lastIndexOf('/') + 1);
      return `<${url}>, <mailto:${mailto}?subject=unsubscribe%20${token}>`;
    },
    verify(purpose, token, now) {
      const purposes = typeof purpose === 'string' ? [purpose] : purpose;
      let expired = false;
      for (const p of purposes) {
        const check = verifyToken(secrets, p, token, now);
        if (check.ok) return check.subject;
        if (check.reason === 'expired') expired = true;
      }
      if (expired) throw new AppError('link_expired', 'This link has expired. Subscribe again to get a fresh confirmation mail.');
      throw new AppError('invalid_link', 'This link is not valid. It may have been cut off by your mail program; try copying the whole link.');
    },
  };
}

/** Stable per delivery, so a retry carries the same Message-ID (mail clients fold duplicates). */
export function messageIdFor(kind: string, periodKey: string, publicKey: string, fromAddress: string): string {
  const hash = createHash('sha256').update(`${publicKey}\n${periodKey}`).digest('base64url').slice(0, 22);
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1) || 'paperboy.invalid';
  return `<${kind}.${periodKey.replace(/[^A-Za-z0-9-]/g, '-')}.${hash}@${domain}>`;
}
