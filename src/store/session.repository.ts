/** Sessions, keyed by the SHA-256 of the cookie value and read together with their member. */
import type { Kysely } from 'kysely';
import type { User } from '../domain/user.js';
import type { Database } from './schema.js';
import { toUser } from './user.repository.js';

type Executor = Kysely<Database>;

export interface StoredSession {
  id: string;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  user: User;
}

export async function insertSession(db: Executor, s: { id: string; userId: number; csrfToken: string; now: string; expiresAt: string; userAgent: string | null; ip: string | null }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id: s.id, user_id: s.userId, csrf_token: s.csrfToken, created_at: s.now, last_seen_at: s.now, expires_at: s.expiresAt, user_agent: s.userAgent, ip: s.ip })
    .execute();
}

/** The live session with this id, or null when unknown or expired. */
export async function findLiveSession(db: Executor, id: string, now: string): Promise<StoredSession | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.id as session_id', 'sessions.csrf_token', 'sessions.created_at as session_created_at', 'sessions.last_seen_at', 'sessions.expires_at'])
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return null;
  return { id: row.session_id, csrfToken: row.csrf_token, createdAt: row.session_created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at, user: toUser(row) };
}

export async function extendSession(db: Executor, id: string, now: string, expiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of a member; returns how many there were. */
export async function deleteSessionsOfUser(db: Executor, userId: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(db: Executor, now: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
