/**
 * Personal API tokens: a member creates one (shown once, stored as a hash), lists and revokes
 * them on the settings page; a request's `Authorization: Bearer` token resolves to its member
 * and scope. A token never outlives its member's standing: a suspended member's tokens stop
 * working like their sessions do.
 */
import { API_TOKEN_PREFIX, looksLikeApiToken, type ApiToken, type ApiTokenScope } from '../../domain/api-token.js';
import { AppError, ValidationError } from '../../domain/errors.js';
import type { User } from '../../domain/user.js';
import { countLiveApiTokensOf, findApiTokenByHash, insertApiToken, listApiTokensOf, revokeApiTokenOf, touchApiToken } from '../../store/api-token.repository.js';
import { assertActive, hashSecret, newSecret, type MemberDeps } from './member-deps.js';

/** Live tokens one member may hold. */
export const MAX_LIVE_TOKENS = 20;
const MAX_NAME_CHARS = 80;
/** Record last use at most this often, so a busy script does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface TokenCaller {
  user: User;
  token: ApiToken;
}

export async function createApiToken(deps: MemberDeps, user: User, input: { name: string; scope: ApiTokenScope }): Promise<{ secret: string; token: ApiToken }> {
  assertActive(user);
  const name = input.name.trim();
  if (!name) throw new ValidationError('Give the token a name, so you can tell it apart later (e.g. "lab bot").', { field: 'name' });
  if (name.length > MAX_NAME_CHARS) throw new ValidationError(`The name is longer than ${MAX_NAME_CHARS} characters.`, { field: 'name' });
  const db = deps.db.kysely;
  if ((await countLiveApiTokensOf(db, user.id)) >= MAX_LIVE_TOKENS) {
    throw new AppError('conflict', `You already have ${MAX_LIVE_TOKENS} tokens; revoke one you no longer use first.`);
  }
  const secret = `${API_TOKEN_PREFIX}${newSecret()}`;
  const token = await insertApiToken(db, { userId: user.id, name, hash: hashSecret(secret), hint: secret.slice(0, 7), scope: input.scope, now: deps.now().toISOString() });
  deps.logger.info({ member: user.handle, tokenId: token.id, scope: token.scope }, 'api token created');
  return { secret, token };
}

export async function listApiTokens(deps: MemberDeps, user: User): Promise<ApiToken[]> {
  return listApiTokensOf(deps.db.kysely, user.id);
}

export async function revokeApiToken(deps: MemberDeps, user: User, tokenId: number): Promise<void> {
  if (!(await revokeApiTokenOf(deps.db.kysely, user.id, tokenId, deps.now().toISOString()))) {
    throw new AppError('not_found', 'You have no live token with that id.', { details: { token: tokenId } });
  }
  deps.logger.info({ member: user.handle, tokenId }, 'api token revoked');
}

/**
 * The member behind a Bearer token.
 * @throws AppError `invalid_token` (401) for a token that is malformed, unknown or revoked, or
 *   whose member is suspended; the message never repeats the token.
 */
export async function resolveApiToken(deps: MemberDeps, secret: string): Promise<TokenCaller> {
  const invalid = (why: string) => new AppError('invalid_token', `This API token ${why}. Create a new one on your settings page.`);
  if (!looksLikeApiToken(secret)) throw invalid('is not a Paperboy token');
  const db = deps.db.kysely;
  const found = await findApiTokenByHash(db, hashSecret(secret));
  if (!found) throw invalid('is unknown');
  if (found.token.revokedAt) throw invalid('was revoked');
  if (found.user.status !== 'active') throw invalid("belongs to a suspended account");
  const now = deps.now();
  if (!found.token.lastUsedAt || now.getTime() - Date.parse(found.token.lastUsedAt) >= TOUCH_EVERY_MS) await touchApiToken(db, found.token.id, now.toISOString());
  return found;
}
