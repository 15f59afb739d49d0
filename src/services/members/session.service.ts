/**
 * Sessions: created at sign-in (a new random token each time, so a session can never be fixed
 * in advance), resolved from the cookie, slid forward while in use, ended on this device or
 * everywhere. Only hashes of tokens are stored.
 */
import type { Viewer } from '../../domain/member.js';
import type { User } from '../../domain/user.js';
import { deleteSession, deleteSessionsOfUser, extendSession, findLiveSession, insertSession } from '../../store/session.repository.js';
import { hashSecret, newSecret, type MemberDeps } from './member-deps.js';

export interface NewSession {
  /** Goes into the cookie; never stored. */
  token: string;
  expiresAt: Date;
}

/** Extend a session at most this often, so reads do not turn into writes on every request. */
const SLIDE_EVERY_MS = 60 * 60_000;

export async function createSession(deps: MemberDeps, user: User, client: { ip: string | null; userAgent: string | null }): Promise<NewSession> {
  const now = deps.now();
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + deps.config.members.sessionTtlDays * 86_400_000);
  await insertSession(deps.db.kysely, {
    id: hashSecret(token),
    userId: user.id,
    csrfToken: newSecret(),
    now: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    userAgent: client.userAgent?.slice(0, 300) ?? null,
    ip: client.ip,
  });
  return { token, expiresAt };
}

/** The signed-in member for a session cookie, or null (unknown, expired, or member suspended). */
export async function resolveSession(deps: MemberDeps, token: string | undefined): Promise<Viewer | null> {
  if (!token || token.length > 100) return null;
  const id = hashSecret(token);
  const now = deps.now();
  const session = await findLiveSession(deps.db.kysely, id, now.toISOString());
  if (!session) return null;
  if (session.user.status !== 'active') {
    await deleteSession(deps.db.kysely, id);
    return null;
  }
  if (now.getTime() - Date.parse(session.lastSeenAt) > SLIDE_EVERY_MS) {
    const expiresAt = new Date(now.getTime() + deps.config.members.sessionTtlDays * 86_400_000);
    await extendSession(deps.db.kysely, id, now.toISOString(), expiresAt.toISOString());
  }
  return { user: session.user, sessionId: id, csrfToken: session.csrfToken };
}

export async function endSession(deps: MemberDeps, token: string | undefined): Promise<void> {
  if (token && token.length <= 100) await deleteSession(deps.db.kysely, hashSecret(token));
}

/** Signs the member out on every device; returns how many sessions ended. */
export async function endAllSessions(deps: MemberDeps, viewer: Viewer): Promise<number> {
  const n = await deleteSessionsOfUser(deps.db.kysely, viewer.user.id);
  deps.logger.info({ handle: viewer.user.handle, sessions: n }, 'signed out everywhere');
  return n;
}
