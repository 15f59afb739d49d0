/** What the member use cases share: their dependencies, token helpers and common checks. */
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config/config.js';
import { AppError, NotFoundError } from '../../domain/errors.js';
import { SlidingWindowLimiter } from '../../domain/rate-limit.js';
import type { User } from '../../domain/user.js';
import type { Logger } from '../../logger.js';
import type { MagicLinkMailer } from '../../mail/magic-link.email.js';
import type { Db } from '../../store/database.js';
import { findPaperKey } from '../../store/daily-entry.repository.js';

/** Fetches paper metadata from arXiv by id (the arXiv API client, or a test double). */
export interface ArxivLookup {
  fetchByIds(ids: readonly string[], options?: { signal?: AbortSignal }): Promise<import('../../domain/paper.js').PaperRecord[]>;
}

export interface MemberDeps {
  config: Config;
  db: Db;
  logger: Logger;
  /** Null when no SMTP server is configured: links are logged instead. */
  mailer: MagicLinkMailer | null;
  arxiv: ArxivLookup;
  now: () => Date;
  /** Per-process limiter for votes (cheap and frequent; the database limits the rest). */
  voteLimiter: SlidingWindowLimiter;
}

/** 256 random bits, URL-safe: session cookies and sign-in tokens. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Random lower-case hex, for public ids of comments and provisional handles. */
export function newPublicId(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** What is stored instead of a secret: its SHA-256, hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function assertActive(user: User): void {
  if (user.status !== 'active') throw new AppError('member_suspended', 'Your account is suspended; you cannot do this.');
}

export function assertAdmin(user: User): void {
  assertActive(user);
  if (user.role !== 'admin') throw new AppError('forbidden', 'Only moderators can do this.');
}

export async function requirePaperKey(deps: MemberDeps, arxivId: string): Promise<{ id: number }> {
  const key = await findPaperKey(deps.db.kysely, arxivId);
  if (!key || key.deleted) throw new NotFoundError('paper_not_found', `No paper ${arxivId} here.`, { arxivId });
  return key;
}
