/**
 * Magic-link tokens, stored only as SHA-256 hashes. Consuming a token is one conditional UPDATE,
 * so two clicks racing cannot both pass the checks once the grace window is over.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

export interface LoginTokenState {
  email: string;
  nextPath: string | null;
  createdAt: string;
  expiresAt: string;
  firstUsedAt: string | null;
  useCount: number;
}

export async function insertLoginToken(db: Executor, t: { hash: string; email: string; ip: string | null; nextPath: string | null; now: string; expiresAt: string }): Promise<void> {
  await db
    .insertInto('login_tokens')
    .values({ token_hash: t.hash, email: t.email, requested_ip: t.ip, next_path: t.nextPath, created_at: t.now, expires_at: t.expiresAt, first_used_at: null })
    .execute();
}

export async function findLoginToken(db: Executor, hash: string): Promise<LoginTokenState | null> {
  const row = await db.selectFrom('login_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  if (!row) return null;
  return { email: row.email, nextPath: row.next_path, createdAt: row.created_at, expiresAt: row.expires_at, firstUsedAt: row.first_used_at, useCount: Number(row.use_count) };
}

/**
 * Marks the token used and returns it, if it has not expired and is either unused or was first
 * used after `graceSince` with fewer than `maxUses` uses. Null otherwise.
 */
export async function consumeLoginToken(db: Executor, hash: string, now: string, graceSince: string, maxUses: number): Promise<LoginTokenState | null> {
  const row = await db
    .updateTable('login_tokens')
    .set((eb) => ({ first_used_at: eb.fn.coalesce('first_used_at', eb.val(now)), use_count: eb('use_count', '+', 1) }))
    .where('token_hash', '=', hash)
    .where('expires_at', '>', now)
    .where((eb) => eb.or([eb('first_used_at', 'is', null), eb.and([eb('first_used_at', '>', graceSince), eb('use_count', '<', maxUses)])]))
    .returningAll()
    .executeTakeFirst();
  if (!row) return null;
  return { email: row.email, nextPath: row.next_path, createdAt: row.created_at, expiresAt: row.expires_at, firstUsedAt: row.first_used_at, useCount: Number(row.use_count) };
}

/** After a sign-in, other links sent to the same address stop working. */
export async function expireOtherLoginTokens(db: Executor, email: string, exceptHash: string, now: string): Promise<void> {
  await db.updateTable('login_tokens').set({ expires_at: now }).where('email', '=', email).where('token_hash', '!=', exceptHash).where('expires_at', '>', now).execute();
}

/** How many links were requested for an address or from an address since `since`, and the oldest request's time. */
export async function countLoginTokensSince(db: Executor, by: { email: string } | { ip: string }, since: string): Promise<{ count: number; oldest: string | null }> {
  let q = db.selectFrom('login_tokens').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')]).where('created_at', '>', since);
  q = 'email' in by ? q.where('email', '=', by.email) : q.where('requested_ip', '=', by.ip);
  const row = await q.executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: (row.oldest as string | null) ?? null };
}

export async function deleteLoginTokensBefore(db: Executor, before: string): Promise<number> {
  const result = await db.deleteFrom('login_tokens').where('expires_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
