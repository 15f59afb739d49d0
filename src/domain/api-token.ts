/**
 * Personal API tokens, as members and the web layer see them. A token is `pb_` followed by 43
 * URL-safe characters (256 random bits); only its hash is stored. `read` tokens may only read,
 * `write` tokens may also submit, vote, comment and set links.
 */
export type ApiTokenScope = 'read' | 'write';

export interface ApiToken {
  id: number;
  name: string;
  /** The token's first characters, to tell tokens apart on the settings page. */
  hint: string;
  scope: ApiTokenScope;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const API_TOKEN_PREFIX = 'pb_';
const TOKEN_SHAPE = /^pb_[A-Za-z0-9_-]{43}$/;

export function looksLikeApiToken(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

export function parseTokenScope(value: string): ApiTokenScope | null {
  return value === 'read' || value === 'write' ? value : null;
}
