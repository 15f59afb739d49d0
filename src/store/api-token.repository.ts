/** Personal API tokens (migration 060): stored by hash, listed per member, resolved to their member. */
import type { Kysely } from 'kysely';
import type { ApiToken, ApiTokenScope } from '../domain/api-token.js';
import type { User } from '../domain/user.js';
import type { Database } from './schema.js';
import { toUser } from './user.repository.js';

type Executor = Kysely<Database>;

function toToken(row: { id: number; name: string; hint: string; scope: string; created_at: string; last_used_at: string | null; revoked_at: string | null }): ApiToken {
  return {
    id: Number(row.id),
    name: row.name,
    hint: row.hint,
    scope: row.scope === 'write' ? 'write' : 'read',
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export async function insertApiToken(db: Executor, token: { userId: number; name: string; hash: string; hint: string; scope: ApiTokenScope; now: string }): Promise<ApiToken> {
  const row = await db
    .insertInto('api_tokens')
    .values({ user_id: token.userId, name: token.name, token_hash: token.hash, hint: token.hint, scope: token.scope, created_at: token.now })
    .returning(['id', 'name', 'hint', 'scope', 'created_at', 'last_used_at', 'revoked_at'])
    .executeTakeFirstOrThrow();
  return toToken(row);
}

export async function listApiTokensOf(db: Executor, userId: number): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_tokens').select(['id', 'name', 'hint', 'scope', 'created_at', 'last_used_at', 'revoked_at']).where('user_id', '=', userId).orderBy('id', 'desc').execute();
  return rows.map(toToken);
}

export async function countLiveApiTokensOf(db: Executor, userId: number): Promise<number> {
  const row = await db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Revokes one of the member's live tokens; false when there is none with that id. */
export async function revokeApiTokenOf(db: Executor, userId: number, tokenId: number, now: string): Promise<boolean> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', tokenId).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The token with this hash and its member, revoked or not (the caller decides). */
export async function findApiTokenByHash(db: Executor, hash: string): Promise<{ token: ApiToken; user: User } | null> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select(['api_tokens.id as token_id', 'api_tokens.name', 'api_tokens.hint', 'api_tokens.scope', 'api_tokens.created_at as token_created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at'])
    .where('api_tokens.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return null;
  const token = toToken({ id: row.token_id, name: row.name, hint: row.hint, scope: row.scope, created_at: row.token_created_at, last_used_at: row.last_used_at, revoked_at: row.revoked_at });
  return { token, user: toUser(row) };
}

export async function touchApiToken(db: Executor, tokenId: number, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', tokenId).execute();
}
